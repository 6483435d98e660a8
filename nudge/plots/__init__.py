"""Plain plotting functions: `plot_xxx(ax, ...)` draws on the axes it is given.

Explorers wire sliders to these; tests call them at any slider value, extremes included.
One module per chapter, in chapter order (chapter 6 draws graphs, in `nudge.graphs`);
`common` holds what two chapters share. Import from here: `from nudge.plots import plot_secant`.
"""

from nudge.numeric import METHODS
from nudge.plots.ch1_intuition import plot_downhill, plot_secant, plot_step_errors
from nudge.plots.ch2_polynomials import (
    plot_critical_points,
    plot_cubic_family,
    plot_power_rule,
    plot_rule,
    plot_square_nudge,
    plot_tangent_and_derivative,
)
from nudge.plots.ch3_activations import plot_activation, plot_chain_slopes, plot_secant_at_kink
from nudge.plots.ch4_partials import (
    plot_descent,
    plot_gradient,
    plot_gradient_field,
    plot_partial_slice,
    plot_surface_slice,
)
from nudge.plots.ch5_chain_rule import plot_composition, plot_neuron, plot_paths, plot_pipeline
from nudge.plots.ch7_gradient_descent import (
    plot_classes,
    plot_decision_boundary,
    plot_descent_path,
    plot_line_run,
    plot_loss_curve,
    plot_network_run,
)
from nudge.plots.ch8_jacobians import plot_jvp_vjp, plot_local_linear_map
from nudge.plots.ch9_backprop import plot_digits, plot_gradient_norms, plot_output_saturation

__all__ = [
    "plot_secant",
    "plot_step_errors",
    "plot_downhill",
    "METHODS",
    "plot_tangent_and_derivative",
    "plot_power_rule",
    "plot_rule",
    "plot_square_nudge",
    "plot_critical_points",
    "plot_cubic_family",
    "plot_activation",
    "plot_secant_at_kink",
    "plot_chain_slopes",
    "plot_partial_slice",
    "plot_surface_slice",
    "plot_gradient_field",
    "plot_gradient",
    "plot_descent",
    "plot_composition",
    "plot_pipeline",
    "plot_paths",
    "plot_neuron",
    "plot_loss_curve",
    "plot_descent_path",
    "plot_decision_boundary",
    "plot_classes",
    "plot_line_run",
    "plot_network_run",
    "plot_local_linear_map",
    "plot_jvp_vjp",
    "plot_gradient_norms",
    "plot_output_saturation",
    "plot_digits",
]
