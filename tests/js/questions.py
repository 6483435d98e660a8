"""The configurations the question module's tests judge answers against, as `nudge.questions` makes them.

`node --test tests/js` runs this with the venv's Python (`PYTHON`) and reads the JSON it prints.
"""

import json

from nudge.questions import ask

QUESTIONS = {
    "slope": ask("The slope of $x^3$ at $x = 2$?", number=12, mistakes=[(12.006001, "That is a forward difference.")]),
    "quarter": ask("The slope of $1/w$ at $w = 2$?", number=-0.25, atol=1e-3, rtol=0),
    "cube": ask("The derivative of $x^3$?", expression="3*x^2", mistakes=[("x^3", "That is the function itself.")]),
    "chain": ask(
        "$\\partial/\\partial w$ of $\\sigma(wx)$?", expression="x*exp(-w*x)/(1+exp(-w*x))^2", variables=("w", "x")
    ),
    "sy": ask("The slope in $s$?", expression="s - y", variables=("s", "y")),
    "tanh": ask("The slope of $\\tanh$?", expression="1 - tanh(x)^2"),
    "partial": ask("$\\partial/\\partial x$ of $x^2 y + y^3$?", expression="2*x*y", variables=("x", "y")),
    "rate": ask("The learning rate?", expression="2*eta", variables=("eta",)),
    "one": ask("Which is steepest?", choices=[("ascent", True), ("descent", "It goes $x^2$ down."), ("flat", "Zero.")]),
    "many": ask("Which hold?", choices=[("a", True), ("b", True), ("c", "Not c.")]),
}

if __name__ == "__main__":
    print(json.dumps({name: q.config() for name, q in QUESTIONS.items()}))
