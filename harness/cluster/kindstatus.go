package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/coalmine/coalmine/harness/addons"
)

// apiServerPort is the API server's port inside the node.
const apiServerPort = "6443/tcp"

// nodeContainer is the part of `docker inspect` of a node coalmine reads.
type nodeContainer struct {
	State struct {
		Status string `json:"Status"`
	} `json:"State"`
	Config struct {
		Image string `json:"Image"`
	} `json:"Config"`
	HostConfig struct {
		PortBindings map[string][]struct {
			HostIP   string `json:"HostIp"`
			HostPort string `json:"HostPort"`
		} `json:"PortBindings"`
	} `json:"HostConfig"`
}

// portsFromBindings recovers the port layout from a node's bindings.
func portsFromBindings(nc nodeContainer) (Ports, error) {
	var p Ports
	for key, bs := range nc.HostConfig.PortBindings {
		if key == apiServerPort || len(bs) == 0 {
			continue
		}
		cport, proto, _ := strings.Cut(key, "/")
		if proto != "tcp" {
			continue
		}
		np, err := strconv.Atoi(cport)
		if err != nil {
			return p, fmt.Errorf("port binding %q: %w", key, err)
		}
		hp, err := strconv.Atoi(bs[0].HostPort)
		if err != nil {
			return p, fmt.Errorf("port binding %q: %w", key, err)
		}
		m := PortMapping{NodePort: int32(np), HostPort: int32(hp)}
		if np == addons.DefaultPrometheusNodePort {
			p.Prometheus = m
		} else {
			p.Entries = append(p.Entries, m)
		}
	}
	sort.Slice(p.Entries, func(i, j int) bool { return p.Entries[i].NodePort < p.Entries[j].NodePort })
	return p, nil
}

// Status implements Provider.
func (k *Kind) Status(ctx context.Context) (Status, error) {
	st := Status{Env: EnvKind, Name: k.o.Name, Context: k.Context()}
	nodes, err := k.kp.ListNodes(k.o.Name)
	if err != nil {
		return st, fmt.Errorf("list kind nodes: %w", err)
	}
	if len(nodes) == 0 {
		return st, nil
	}
	st.Exists = true
	containers := map[string]string{}
	for _, n := range nodes {
		out, err := k.o.Docker.Run(ctx, "inspect", "--type", "container", n.String())
		if err != nil {
			return st, err
		}
		var ncs []nodeContainer
		if err := json.Unmarshal(out, &ncs); err != nil || len(ncs) != 1 {
			return st, fmt.Errorf("inspect node %s: %v", n, err)
		}
		containers[n.String()] = ncs[0].State.Status
		st.NodeImage = ncs[0].Config.Image
		ports, err := portsFromBindings(ncs[0])
		if err != nil {
			return st, err
		}
		st.Ports = &ports
		k.ports = ports
		if ncs[0].State.Status != "running" {
			st.Problem = fmt.Sprintf("node container %s is %s", n, ncs[0].State.Status)
			st.Stopped = true
		}
	}
	if st.Problem != "" {
		for name, state := range containers {
			st.Nodes = append(st.Nodes, NodeStatus{Name: name, Container: state})
		}
		return st, nil
	}
	cfg, err := k.RESTConfig(ctx)
	if err != nil {
		st.Problem = err.Error()
		return st, nil
	}
	st.APIServer = cfg.Host
	if err := kubeStatus(ctx, cfg, &st); err != nil {
		st.Problem = err.Error()
	}
	for i := range st.Nodes {
		st.Nodes[i].Container = containers[st.Nodes[i].Name]
	}
	return st, nil
}

// kubeStatus fills server version and nodes, with a short deadline.
func kubeStatus(ctx context.Context, cfg *rest.Config, st *Status) error {
	cfg = rest.CopyConfig(cfg)
	cfg.Timeout = 5 * time.Second
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	v, err := kube.Discovery().ServerVersion()
	if err != nil {
		return fmt.Errorf("API server %s does not answer: %w", cfg.Host, err)
	}
	st.Kubernetes = v.GitVersion
	nl, err := kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list nodes: %w", err)
	}
	for _, n := range nl.Items {
		st.Nodes = append(st.Nodes, NodeStatus{Name: n.Name, Ready: nodeReady(&n), Kubelet: n.Status.NodeInfo.KubeletVersion})
	}
	return nil
}
