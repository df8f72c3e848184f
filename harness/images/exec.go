package images

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Cmd is an external command a step runs (go, docker, debootstrap, chroot...).
type Cmd struct {
	Name string
	Args []string
	Dir  string
	// Env is added to the process environment.
	Env    []string
	Stdin  io.Reader
	Stdout io.Writer // defaults to the log
}

func (c Cmd) String() string {
	return strings.TrimSpace(c.Name + " " + strings.Join(c.Args, " "))
}

// command builds an exec.Cmd in its own process group, killed as a group
// when ctx ends, so that cancelling a build stops go's compilers and
// docker's clients too.
func (c Cmd) command(ctx context.Context, log io.Writer) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdin = c.Stdin
	cmd.Stdout = c.Stdout
	if cmd.Stdout == nil {
		cmd.Stdout = log
	}
	cmd.Stderr = log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// run runs c, writing its command line, output and cost to log.
func run(ctx context.Context, log io.Writer, c Cmd) error {
	fmt.Fprintf(log, "$ %s\n", c)
	cmd := c.command(ctx, log)
	start := time.Now()
	err := cmd.Run()
	logCost(log, c.Name, time.Since(start), cmd.ProcessState)
	if err != nil {
		return cmdError(ctx, c, err)
	}
	return nil
}

// logCost records how long a command took and how much CPU it and the
// children it waited for (go's compilers) used.
func logCost(log io.Writer, name string, wall time.Duration, ps *os.ProcessState) {
	if ps == nil || wall < time.Second {
		return
	}
	cpu := ps.UserTime() + ps.SystemTime()
	fmt.Fprintf(log, "# %s: %s wall, %s cpu\n", name, wall.Round(time.Second), cpu.Round(time.Second))
}

// output runs c and returns its standard output.
func output(ctx context.Context, log io.Writer, c Cmd) ([]byte, error) {
	var out strings.Builder
	c.Stdout = &out
	err := run(ctx, log, c)
	return []byte(out.String()), err
}

// pipe runs src | dst, like a shell pipeline with pipefail.
func pipe(ctx context.Context, log io.Writer, src, dst Cmd) error {
	fmt.Fprintf(log, "$ %s | %s\n", src, dst)
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	a := src.command(ctx, log)
	a.Stdout = pw
	b := dst.command(ctx, log)
	b.Stdin = pr
	if err := a.Start(); err != nil {
		pr.Close()
		pw.Close()
		return cmdError(ctx, src, err)
	}
	pw.Close()
	if err := b.Start(); err != nil {
		pr.Close()
		_ = a.Cancel()
		_ = a.Wait()
		return cmdError(ctx, dst, err)
	}
	pr.Close()
	errB := b.Wait()
	if errB != nil {
		// The reader is gone: do not let the writer block forever.
		_ = a.Cancel()
	}
	errA := a.Wait()
	if errA != nil && errB == nil {
		return cmdError(ctx, src, errA)
	}
	if errB != nil {
		return cmdError(ctx, dst, errB)
	}
	return nil
}

// cmdError names the command that failed; a cancelled context wins, so
// that Ctrl-C is reported as such and not as "signal: killed".
func cmdError(ctx context.Context, c Cmd, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s: %w", c.Name+" "+firstArgs(c.Args, 3), err)
	}
	return fmt.Errorf("%s: %w", c.Name, err)
}

func firstArgs(args []string, n int) string {
	if len(args) > n {
		return strings.Join(args[:n], " ") + " ..."
	}
	return strings.Join(args, " ")
}
