"""Drawings of the computational graph a `Value` builds, in plain matplotlib (no graphviz).

Steps of depth run left to right in the order values are computed: the inputs on the left,
the output on the right, each operation a small rounded tag just left of its box, fed by arrows
from its inputs. A graph too deep for that at the text size asked for (a phone's text column
holds two or three steps at 12 pt) runs top to bottom instead: the inputs at the top, the output
at the bottom, each tag just above its box. Every value is a box with its label, `data` and `grad`.

>>> from matplotlib.figure import Figure
>>> from nudge.autodiff import Value
>>> x = Value(2.0, label="x")
>>> f = x * x + x
>>> f.backward()
>>> ax = Figure().subplots()
>>> nodes = draw_graph(ax, f)
>>> [node.label or node._op for node in nodes]
['x', '*', '+']
"""

from __future__ import annotations

from collections.abc import Callable

from nudge.autodiff import Value, backward_steps, topological_order
from nudge.formatting import format_number
from nudge.inputs import describe
from nudge.rules import by_symbol
from nudge.style import PALETTE

# geometry in data units: one column per step of depth, one row per node of a column
BOX_WIDTH, BOX_HEIGHT = 0.58, 0.62
TAG_WIDTH, TAG_HEIGHT, TAG_OFFSET = 0.2, 0.3, 0.47
LEAF_FACE, INNER_FACE, ROOT_FACE = "#dcecf7", "#f4f4f4", "#fbe7c6"


def op_symbol(op: str) -> str:
    """The text of an operation's tag, as its row of `nudge.rules` shows it; an operation the table
    lacks (a reader's own `sin`) by its name.

    >>> op_symbol("*"), op_symbol("**2"), op_symbol("**-1"), op_symbol("tanh"), op_symbol("sin")
    ('×', 'x²', 'x⁻¹', 'tanh', 'sin')
    """
    rule = by_symbol(op)
    return rule.shown if rule else op


def graph_layout(root: Value) -> tuple[list[Value], dict[int, tuple[float, float]]]:
    """Nodes in topological order and a position (column, row) for each, keyed by `id(node)`.

    A computed node sits one column right of its deepest input; an input sits one column left
    of the first node that uses it, so short formulas stay compact. Rows are ordered so that
    each node sits near the nodes it feeds (fewer crossing arrows).

    >>> a, b = Value(1.0), Value(2.0)
    >>> nodes, where = graph_layout((a * b).tanh())
    >>> [where[id(n)][0] for n in nodes]
    [0, 0, 1, 2]
    """
    nodes = topological_order(root)
    users: dict[int, list[Value]] = {id(n): [] for n in nodes}
    for node in nodes:
        for child in dict.fromkeys(node._prev):  # a node used twice by one operation is one user
            users[id(child)].append(node)
    column: dict[int, int] = {}
    for node in nodes:
        if node._prev:
            inner = [column[id(c)] for c in node._prev if c._prev]
            column[id(node)] = 1 + max(inner, default=0)
    for node in nodes:
        if not node._prev:
            used_at = [column[id(u)] for u in users[id(node)]]
            column[id(node)] = min(used_at) - 1 if used_at else 0
    shift = min(column.values())
    column = {k: v - shift for k, v in column.items()}
    # rows: from the output leftwards, each column sorted by the mean row of the nodes it feeds
    row: dict[int, float] = {}
    by_column: dict[int, list[Value]] = {}
    for node in nodes:
        by_column.setdefault(column[id(node)], []).append(node)
    order_in_graph = {id(n): i for i, n in enumerate(nodes)}
    for col in sorted(by_column, reverse=True):
        members = by_column[col]

        def key(node):
            placed = [row[id(u)] for u in users[id(node)] if id(u) in row]
            return (sum(placed) / len(placed) if placed else 0.0, order_in_graph[id(node)])

        members.sort(key=key)
        for i, node in enumerate(members):
            row[id(node)] = (len(members) - 1) / 2 - i  # first member on top
    return nodes, {id(n): (column[id(n)], row[id(n)]) for n in nodes}


def _fit(ax, n_columns: int, n_rows: int, widest: int, lines: int, largest: float) -> tuple[float, float]:
    """A font size (points) whose text fits the boxes, and the half-height of the y range in rows.

    Columns share the axes' width; rows are as tall as the text needs (so a small graph
    doesn't get stretched boxes), and the font shrinks, down to 5 pt, when they don't fit.
    """
    fig = ax.figure
    engine = fig.get_layout_engine()
    if engine is not None:  # place the axes now, so their size is the one the figure will have
        engine.execute(fig)
    box = ax.get_position()
    width_pt = box.width * fig.get_figwidth() * 72
    height_pt = box.height * fig.get_figheight() * 72
    column_pt = width_pt / (n_columns - 1 + BOX_WIDTH + 0.1 + (TAG_OFFSET if n_columns == 1 else 0))
    size = min(largest, BOX_WIDTH * column_pt / (0.56 * widest + 1.4))
    row_pt = (1.3 * lines + 0.8) * size / BOX_HEIGHT
    if n_rows * row_pt > height_pt:
        size *= height_pt / (n_rows * row_pt)
        row_pt = height_pt / n_rows
    return max(5.0, size), height_pt / row_pt / 2


# the top-to-bottom layout, in units of the font size: a box's padding around its text, the gap
# between boxes of one step, the margin beside the outermost (room for an arrow that skips a step),
# and the height of the link between steps (an input's arrow, the tag, the tag's arrow)
DOWN_PAD_X, DOWN_PAD_Y, DOWN_GAP, DOWN_SIDE, DOWN_LINK = 1.4, 0.8, 1.5, 1.6, 3.6


def _axes_points(ax) -> tuple[float, float]:
    """The axes' width and height in points, once the figure's layout has placed them."""
    fig = ax.figure
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    box = ax.get_position()
    return box.width * fig.get_figwidth() * 72, box.height * fig.get_figheight() * 72


def _fit_down(ax, n_steps: int, n_across: int, widest: int, lines: int, largest: float) -> float:
    """The font size (points) of the top-to-bottom layout: `n_steps` rows of at most `n_across` boxes."""
    width_pt, height_pt = _axes_points(ax)
    box_width = 0.56 * widest + DOWN_PAD_X
    per_point_wide = n_across * box_width + (n_across - 1) * DOWN_GAP + 2 * DOWN_SIDE
    per_point_tall = n_steps * (1.3 * lines + DOWN_PAD_Y) + (n_steps - 1) * DOWN_LINK
    return max(5.0, min(largest, width_pt / per_point_wide, height_pt / per_point_tall))


def draw_graph(
    ax,
    root: Value,
    *,
    fmt: str = "{:.3g}",
    show_grad: bool = True,
    highlight=(),
    pending=(),
    fontsize: float = 12.0,
    title: str | None = None,
    direction: str = "auto",
) -> list[Value]:
    """Draw the graph that computed `root` on `ax`, with label, data and grad in every box.

    `highlight` nodes get a thick vermillion frame (e.g. the node whose rule just ran),
    `pending` nodes are drawn in grey (their gradient is not final yet). `direction` is
    "across" (inputs on the left), "down" (inputs at the top) or "auto": across when the text
    fits the boxes at `fontsize`, else whichever of the two keeps the larger text. The font
    shrinks (down to 5 pt) when neither fits the axes. Returns the nodes in the order drawn.
    It only reads the graph: call `root.backward()` first for the gradients to show.
    """
    if direction not in ("auto", "across", "down"):
        raise ValueError(f"draw_graph: direction is 'auto', 'across' or 'down', got {direction!r}")
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: expected the Value at the end of a computation, got {describe(root)}")
    nodes, where = graph_layout(root)
    highlight = {id(n) for n in highlight}
    pending = {id(n) for n in pending}
    texts = {id(n): _box_text(n, fmt, show_grad) for n in nodes}
    # boxes are sized for the widest number `fmt` can write, not for this frame's numbers, so an
    # explorer's frames share one font size (the label "grad −0.000987" doesn't shrink its frame)
    number = _widest_number(fmt)
    widest = max(max(len(n.label or ""), 5 + number) for n in nodes)
    lines = max(text.count("\n") + 1 for text in texts.values())
    n_columns = 1 + max(c for c, _ in where.values())
    n_rows = max(sum(1 for c, _ in where.values() if c == col) for col in range(n_columns))
    if title is not None:  # before fitting, so the layout makes room for it
        ax.set_title(title)
    size, half_rows = _fit(ax, n_columns, n_rows, widest, lines, fontsize)
    if direction == "down" or (direction == "auto" and size < fontsize):
        down_size = _fit_down(ax, n_columns, n_rows, widest, lines, fontsize)
        if direction == "down" or down_size > size:
            _draw_down(ax, root, nodes, where, texts, down_size, widest, lines, highlight, pending)
            return nodes

    from matplotlib.path import Path

    def arrow(start, end, *, lane=None):
        if lane is None:
            path = Path([start, end])
        else:  # a detour through `lane`, so the arrow passes beside the boxes it jumps over
            path = Path([start, (start[0] + 0.6, lane), (end[0] - 0.6, lane), end], [Path.MOVETO] + [Path.CURVE4] * 3)
        _arrow(ax, path)

    for node in nodes:
        x, y = where[id(node)]
        _node(ax, node, root, (x, y), (BOX_WIDTH, BOX_HEIGHT), 0.06, texts[id(node)], size, highlight, pending)
        if not node._prev:
            continue
        tag_x = x - TAG_OFFSET
        _tag(ax, op_symbol(node._op), (tag_x, y), (TAG_WIDTH, TAG_HEIGHT), 0.08, size)
        arrow((tag_x + TAG_WIDTH / 2, y), (x - BOX_WIDTH / 2, y))
        for k, child in enumerate(dict.fromkeys(node._prev)):
            cx, cy = where[id(child)]
            uses = node._prev.count(child)
            start = (cx + BOX_WIDTH / 2, cy)
            end = (tag_x - TAG_WIDTH / 2, y + (0.06 if k == 0 else -0.06) * (len(set(map(id, node._prev))) > 1))
            lane = None
            if x - cx > 1:  # jumps a column: detour below (or above) the row it starts from
                clearance = (BOX_HEIGHT / 2 + 0.1) / 0.75
                lane = cy - clearance if cy <= y else cy + clearance
            arrow(start, end, lane=lane)
            if uses > 1:  # x * x: one arrow, marked with how many times the value is used
                ax.text(
                    (start[0] + end[0]) / 2,
                    (start[1] + end[1]) / 2 + 0.08,
                    f"×{uses}",
                    ha="center",
                    va="bottom",
                    fontsize=size,
                    color="#555555",
                    zorder=3,
                )
    ax.set_xlim(-BOX_WIDTH / 2 - 0.05 - (TAG_OFFSET if n_columns == 1 else 0), n_columns - 1 + BOX_WIDTH / 2 + 0.05)
    ax.set_ylim(-half_rows, half_rows)
    ax.set_axis_off()
    return nodes


def _draw_down(ax, root, nodes, where, texts, size, widest, lines, highlight, pending) -> None:
    """The top-to-bottom drawing: `graph_layout`'s columns become rows (the inputs' row on top), and
    its rows, positions across (its top one on the left); all lengths in points, centred in the axes."""
    from matplotlib.path import Path

    width_pt, height_pt = _axes_points(ax)
    box_w, box_h = (0.56 * widest + DOWN_PAD_X) * size, (1.3 * lines + DOWN_PAD_Y) * size
    link = DOWN_LINK * size
    n_steps = 1 + max(c for c, _ in where.values())
    top = (n_steps * box_h + (n_steps - 1) * link) / 2

    def centre(node):
        step, row = where[id(node)]
        return -row * (box_w + DOWN_GAP * size), top - box_h / 2 - step * (box_h + link)

    for node in nodes:
        x, y = centre(node)
        _node(ax, node, root, (x, y), (box_w, box_h), 0.4 * size, texts[id(node)], size, highlight, pending)
        if not node._prev:
            continue
        symbol = op_symbol(node._op)
        tag_w, tag_h = (0.62 * len(symbol) + 1.0) * size, 1.5 * size
        tag_y = y + box_h / 2 + 0.35 * link  # nearer its box than its inputs, whose arrows fan in from above
        _tag(ax, symbol, (x, tag_y), (tag_w, tag_h), 0.5 * size, size)
        _arrow(ax, Path([(x, tag_y - tag_h / 2), (x, y + box_h / 2)]))
        children = list(dict.fromkeys(node._prev))
        for child in children:
            cx, cy = centre(child)
            uses = node._prev.count(child)
            if where[id(node)][0] - where[id(child)][0] > 1:
                # skips a step: out of the box's side, down a lane beside the boxes between, into the tag's side
                side = 1 if cx >= x else -1
                # straight runs with rounded corners: the lane stays clear of every box it passes
                lane, turn = cx + side * (box_w / 2 + size), 0.6 * size
                start, end = (cx + side * box_w / 2, cy), (x + side * tag_w / 2, tag_y)
                corners = [(lane - side * turn, cy), (lane, cy), (lane, cy - turn)]
                corners += [(lane, tag_y + turn), (lane, tag_y), (lane - side * turn, tag_y)]
                codes = [Path.MOVETO, Path.LINETO, Path.CURVE3, Path.CURVE3, Path.LINETO, Path.CURVE3, Path.CURVE3]
                _arrow(ax, Path([start, *corners, end], codes + [Path.LINETO]))
                middle = (lane, (cy + tag_y) / 2)
            else:
                # distinct inputs meet the tag's top apart, in the order they stand across
                spread = 0.0 if len(children) == 1 else (-0.25 if cx < x else 0.25 if cx > x else 0.0)
                start, end = (cx, cy - box_h / 2), (x + spread * tag_w, tag_y + tag_h / 2)
                _arrow(ax, Path([start, end]))
                middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            if uses > 1:  # x * x: one arrow, marked with how many times the value is used
                ax.text(
                    middle[0] + 0.3 * size,
                    middle[1],
                    f"×{uses}",
                    ha="left",
                    va="center",
                    fontsize=size,
                    color="#555555",
                    zorder=3,
                )
    ax.set_xlim(-width_pt / 2, width_pt / 2)
    ax.set_ylim(-height_pt / 2, height_pt / 2)
    ax.set_axis_off()


def _rounded_box(ax, centre, size_xy, rounding, *, face, edge, lw, gid) -> None:
    from matplotlib.patches import FancyBboxPatch

    (x, y), (width, height) = centre, size_xy
    box = FancyBboxPatch(
        (x - width / 2, y - height / 2),
        width,
        height,
        boxstyle=f"round,pad=0,rounding_size={rounding}",
        facecolor=face,
        edgecolor=edge,
        lw=lw,
        zorder=2,
        gid=gid,
    )
    ax.add_patch(box)


def _node(ax, node, root, centre, size_xy, rounding, text, size, highlight, pending) -> None:
    """A value's box (its face says input, inner or output; framed if highlighted) and its text (grey if pending)."""
    face = ROOT_FACE if node is root else INNER_FACE if node._prev else LEAF_FACE
    framed = id(node) in highlight
    edge = PALETTE["vermillion"] if framed else "#555555"
    _rounded_box(ax, centre, size_xy, rounding, face=face, edge=edge, lw=2.5 if framed else 1, gid="node")
    colour = "#888888" if id(node) in pending else "black"
    x, y = centre
    ax.text(
        x, y, text, ha="center", va="center", fontsize=size, color=colour, zorder=3, gid="node-text", linespacing=1.25
    )


def _tag(ax, symbol, centre, size_xy, rounding, size) -> None:
    """An operation's small rounded tag with its symbol."""
    _rounded_box(ax, centre, size_xy, rounding, face="white", edge=PALETTE["blue"], lw=1, gid="op")
    x, y = centre
    ax.text(x, y, symbol, ha="center", va="center", fontsize=size, color=PALETTE["blue"], zorder=3)


def _arrow(ax, path) -> None:
    from matplotlib.patches import FancyArrowPatch

    style = {"arrowstyle": "-|>", "mutation_scale": 8, "color": "#777777", "lw": 1, "shrinkA": 0, "shrinkB": 0}
    ax.add_patch(FancyArrowPatch(path=path, zorder=1, **style))


def _box_text(node: Value, fmt: str, show_grad: bool) -> str:
    lines = [node.label] if node.label else []
    lines.append("data " + format_number(node.data, fmt))
    if show_grad:
        lines.append("grad " + format_number(node.grad, fmt))
    return "\n".join(lines)


def _widest_number(fmt: str) -> int:
    """How many characters `fmt` writes at most for a number between -1000 and 1000.

    >>> _widest_number("{:.3g}")  # −0.000123
    9
    """
    probes = (-0.000123456789, -1.23456789e-05, -123.456789, -999.999999)
    return max(len(format_number(value, fmt)) for value in probes)


# --- explorers: pure functions of the slider values -----------------------------------------


def plot_graph_at(ax, build: Callable, *, step: int | None = None, fmt: str = "{:.3g}", title=None, **inputs):
    """Build a graph with `build(**inputs)`, run the backward pass and draw it.

    With `step=None` the whole backward pass runs. With `step=k` only the first k local rules
    run (the output's gradient is seeded to 1 at k = 0): the node whose rule ran last is
    framed, nodes whose gradient is not final yet are grey, and the title says what happened, in the
    code's own terms: `f.grad = 1` (the seed), `+: f.grad → m.grad, x.grad` (a rule passing a gradient
    to its inputs), `x.grad = 5` (an input's gradient, complete).
    `title` may be a function of `(root, **inputs)`.

    >>> from matplotlib.figure import Figure
    >>> def square_plus(x):
    ...     x = Value(x, label="x")
    ...     return x * x + x
    >>> nodes = plot_graph_at(Figure().subplots(), square_plus, step=1, x=2.0)
    >>> [(node.label or node._op, node.grad) for node in nodes]
    [('x', 1.0), ('*', 1.0), ('+', 1.0)]
    """
    root = build(**inputs)
    if step is None:
        root.backward()
        highlight, pending = (), ()
    else:
        order = topological_order(root)
        for node in order:
            node.grad = 0.0
        root.grad = 1.0
        done = []
        if step > 0:
            for node in backward_steps(root):
                done.append(node)
                if len(done) == step:
                    break
        highlight = done[-1:]
        if title is None:
            title = _step_title(root, done)
        # a node's gradient is final once every node it feeds has run its rule and passed its share on
        ran = {id(n) for n in done}
        finished = ran | {id(root)} | {id(n) for n in order if _all_users_done(n, order, ran)}
        pending = [n for n in order if id(n) not in finished]
    if callable(title):
        title = title(root, **inputs)
    return draw_graph(ax, root, fmt=fmt, highlight=highlight, pending=pending, title=title)


def _name(node: Value) -> str:
    return node.label or op_symbol(node._op)


def _step_title(root: Value, done: list[Value]) -> str:
    """What the last step of the backward pass did, in symbols (pictures carry no words)."""
    if not done:
        return f"{_name(root)}.grad = 1"
    node = done[-1]
    if not node._prev:
        return f"{_name(node)}.grad = {format_number(node.grad)}"
    inputs = ", ".join(dict.fromkeys(f"{_name(child)}.grad" for child in node._prev))
    return f"{op_symbol(node._op)}: {_name(node)}.grad → {inputs}"


def _all_users_done(node: Value, order: list[Value], done: set[int]) -> bool:
    users = [u for u in order if any(c is node for c in u._prev)]
    return bool(users) and all(id(u) in done for u in users)


def plot_repeated_backward(
    axes, build: Callable, calls: int, zero_grad: bool, wrt: str = "x", max_calls: int = 6, **inputs
):
    """What `backward()` called `calls` times on `build(**inputs)` leaves in `.grad`, with and without zeroing first.

    Top: the graph after the last call. Bottom: the gradient of the input labelled `wrt`
    against the number of calls, for an engine that zeroes every node first (flat, right),
    one that never zeroes (growing, wrong), and one that keeps only the inputs' gradients
    between calls, as PyTorch does (it grows in proportion: the reason for `zero_grad()`). The
    legend names them by their code (the third by the library), the title by the call made.
    """
    graph_ax, curve_ax = axes
    root = build(**inputs)
    for _ in range(calls):
        root.backward(zero_grad=zero_grad)
    target = _find_label(root, wrt)
    counts = list(range(1, max_calls + 1))
    curves = {
        "backward()": (_grads_after(build, inputs, wrt, max_calls, "zero"), PALETTE["blue"], "o"),
        "PyTorch": (_grads_after(build, inputs, wrt, max_calls, "leaves"), PALETTE["green"], "s"),
        "backward(zero_grad=False)": (_grads_after(build, inputs, wrt, max_calls, "never"), PALETTE["vermillion"], "^"),
    }
    for name, (grads, colour, marker) in curves.items():
        curve_ax.plot(counts, grads, marker=marker, color=colour, lw=1.5, ms=5, label=name)
    curve_ax.plot([calls], [target.grad], "o", ms=13, mfc="none", mec="black", mew=1.5)
    top = max(max(grads) for grads, _, _ in curves.values())
    curve_ax.set_xlim(0.5, max_calls + 0.5)
    curve_ax.set_ylim(0, top * 1.08)
    curve_ax.set_xlabel("n")  # the number of calls
    curve_ax.set_ylabel(f"{wrt}.grad")
    curve_ax.set_title(f"{wrt}.grad = {target.grad:g}")
    curve_ax.legend(loc="upper left")
    # last, so the layout the graph is fitted to has made room for the curves' labels
    draw_graph(graph_ax, root, title=f"n = {calls}: backward(zero_grad={zero_grad})")


def _find_label(root: Value, label: str) -> Value:
    for node in topological_order(root):
        if node.label == label:
            return node
    raise ValueError(f"no node labelled {label!r} in the graph; labels: {[n.label for n in topological_order(root)]}")


def _grads_after(build: Callable, inputs: dict, wrt: str, max_calls: int, mode: str) -> list[float]:
    root = build(**inputs)
    target = _find_label(root, wrt)
    grads = []
    for _ in range(max_calls):
        if mode == "leaves":  # inner grads are freed after each pass; the inputs' grads stay
            kept = {id(n): n.grad for n in topological_order(root) if not n._prev}
            root.backward()
            for node in topological_order(root):
                node.grad += kept.get(id(node), 0.0)
        else:
            root.backward(zero_grad=mode == "zero")
        grads.append(target.grad)
    return grads


__all__ = ["draw_graph", "graph_layout", "op_symbol", "plot_graph_at", "plot_repeated_backward"]
