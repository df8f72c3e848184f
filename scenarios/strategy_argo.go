package scenarios

import (
	"strings"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/validation"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// argoValidate runs Argo Rollouts' own validation on the strategy, as the
// controller does before it reconciles a Rollout (a Rollout it rejects is
// marked InvalidSpec and never progresses): the spec checks of
// `kubectl argo rollouts lint` and the checks of the templates each
// analysis references. The Rollout around the strategy is the one the run
// engine deploys, reduced to what the checks read.
func argoValidate(d *decoder, st *Strategy) {
	ro := validationRollout(st)
	errs := validation.ValidateRolloutSpec(ro, field.NewPath("spec"))
	for _, ref := range referencedAnalyses(st) {
		errs = append(errs, validation.ValidateAnalysisTemplatesWithType(ro, ref)...)
	}
	for _, e := range errs {
		path := argoPath(e.Field, st.Type())
		d.errs = append(d.errs, &FieldError{File: d.file, Line: d.line(path), Path: path,
			Msg: "Argo Rollouts rejects this (the controller would mark the Rollout InvalidSpec): " + e.ErrorBody()})
	}
}

// argoPath turns a field path of Argo's validation into the strategy
// file's: "spec." goes, and the fields Argo reports as
// spec.strategy.maxSurge live under strategy.canary (or blueGreen).
func argoPath(field, typ string) string {
	path := strings.TrimPrefix(field, "spec.")
	rest, ok := strings.CutPrefix(path, "strategy.")
	if ok && !strings.HasPrefix(rest, "canary") && !strings.HasPrefix(rest, "blueGreen") {
		return "strategy." + typ + "." + rest
	}
	return path
}

// validationRollout wraps the strategy in a minimal valid Rollout.
func validationRollout(st *Strategy) *v1alpha1.Rollout {
	labels := map[string]string{"app.kubernetes.io/name": "faultapp"}
	return &v1alpha1.Rollout{
		ObjectMeta: metav1.ObjectMeta{Name: "faultapp", Namespace: "coalmine"},
		Spec: v1alpha1.RolloutSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "faultapp", Image: "faultapp"}}},
			},
			Strategy:                *st.Spec.DeepCopy(),
			ProgressDeadlineSeconds: st.ProgressDeadlineSeconds,
			ProgressDeadlineAbort:   st.ProgressDeadlineAbort,
		},
	}
}

// referencedAnalyses lists the analyses of the strategy with their
// templates, as the rollout controller's getReferencedRolloutAnalyses
// does. References to missing templates are reported by the strategy's
// own checks and skipped here.
func referencedAnalyses(st *Strategy) []validation.AnalysisTemplatesWithType {
	var out []validation.AnalysisTemplatesWithType
	add := func(a *v1alpha1.RolloutAnalysis, typ validation.AnalysisTemplateType, step int) {
		ref := validation.AnalysisTemplatesWithType{TemplateType: typ, CanaryStepIndex: step, Args: a.Args}
		for _, t := range a.Templates {
			for i := range st.Templates {
				if st.Templates[i].Name == t.TemplateName {
					ref.AnalysisTemplates = append(ref.AnalysisTemplates, st.Templates[i].DeepCopy())
				}
			}
		}
		out = append(out, ref)
	}
	if bg := st.Spec.BlueGreen; bg != nil {
		if bg.PrePromotionAnalysis != nil {
			add(bg.PrePromotionAnalysis, validation.PrePromotionAnalysis, 0)
		}
		if bg.PostPromotionAnalysis != nil {
			add(bg.PostPromotionAnalysis, validation.PostPromotionAnalysis, 0)
		}
	}
	if c := st.Spec.Canary; c != nil {
		for i, step := range c.Steps {
			if step.Analysis != nil {
				add(step.Analysis, validation.InlineAnalysis, i)
			}
		}
		if c.Analysis != nil {
			add(&c.Analysis.RolloutAnalysis, validation.BackgroundAnalysis, 0)
		}
	}
	return out
}
