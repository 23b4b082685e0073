"""Show TeX from feeds readably as plain Unicode text (``$\\infty$`` -> ``∞``). Pure Python."""

from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "infty": "∞", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠",
    "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "times": "×",
    "cdot": "·", "cdots": "⋯", "ldots": "…", "dots": "…", "pm": "±", "mp": "∓", "div": "÷",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "leftrightarrow": "↔", "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂",
    "subseteq": "⊆", "supset": "⊃", "cup": "∪", "cap": "∩", "emptyset": "∅", "forall": "∀",
    "exists": "∃", "neg": "¬", "wedge": "∧", "vee": "∨", "partial": "∂", "nabla": "∇",
    "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "ell": "ℓ", "log": "log", "exp": "exp",
    "min": "min", "max": "max", "lim": "lim", "sin": "sin", "cos": "cos", "circ": "∘",
    "star": "⋆", "ast": "∗", "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉",
    "lfloor": "⌊", "rfloor": "⌋", "ll": "≪", "gg": "≫", "dagger": "†", "prime": "′",
    "degree": "°", "quad": " ", "qquad": "  ", "textasciitilde": "~", "LaTeX": "LaTeX",
    "TeX": "TeX",
}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
SUPERSCRIPTS = str.maketrans("0123456789+-=()nit", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵗ")
SUBSCRIPTS = str.maketrans("0123456789+-=()aeiorutx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢₒᵣᵤₜₓ")
_ESCAPES = {"\\%": "%", "\\$": "$", "\\&": "&", "\\_": "_", "\\#": "#", "\\{": "{", "\\}": "}",
            "\\,": " ", "\\;": " ", "\\!": "", "\\ ": " ", "~": " "}
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_WRAPPER = re.compile(r"\\(?:text(?:bf|it|rm|tt|sc|sf)?|emph|mathrm|mathbf|mathit|mathsf|mathtt|"
                      r"operatorname|boldsymbol|bm|mathcal|mathfrak|underline|textsc)\{([^{}]*)\}")
_BB = re.compile(r"\\mathbb\{([A-Za-z])\}")
_SCRIPT = re.compile(r"([\^_])(\{([^{}]*)\}|([0-9A-Za-z+\-]))")
_MATH = re.compile(r"(?<!\\)\$(?!\$)([^$]+?)(?<!\\)\$")


def _script(match: re.Match[str]) -> str:
    mark = match.group(1)
    body = match.group(3) if match.group(3) is not None else match.group(4)
    table = SUPERSCRIPTS if mark == "^" else SUBSCRIPTS
    if body and all(ord(c) in table for c in body):
        return body.translate(table)
    return mark + (body if len(body) == 1 else f"({body})")


def _math(text: str) -> str:
    text = _BB.sub(lambda m: BLACKBOARD.get(m.group(1), m.group(1)), text)
    for _ in range(3):
        text = _WRAPPER.sub(r"\1", text)
    text = _COMMAND.sub(lambda m: SYMBOLS.get(m.group(1), m.group(0)), text)
    text = _SCRIPT.sub(_script, text)
    return text.replace("{", "").replace("}", "")


def tex_to_unicode(text: str) -> str:
    """Replace inline math and common TeX commands by Unicode; leave everything else alone."""
    if "\\" not in text and "$" not in text:
        return text
    text = _MATH.sub(lambda m: _math(m.group(1)), text)
    for _ in range(3):
        text = _WRAPPER.sub(r"\1", text)
    text = _COMMAND.sub(lambda m: SYMBOLS.get(m.group(1), m.group(0)), text)
    for escape, plain in _ESCAPES.items():
        if escape != "~":
            text = text.replace(escape, plain)
    return text
