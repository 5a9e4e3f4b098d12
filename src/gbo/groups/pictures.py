"""Per-group network pictures (SVG) for internal analysis only, never for publication.

igraph draws with cairo, which is not installed, so the SVG is written here from igraph's
Kamada-Kawai layout (deterministic: it starts from a circle). Nodes are offenders labelled
with the first characters of their pseudonym; link colour and dash show the link type.
"""

from __future__ import annotations

from html import escape

import igraph as ig
import numpy as np

WIDTH, HEIGHT, MARGIN = 640, 520, 50
EDGE_STYLE = {
    "shared_offence": ("#1b4f72", ""),
    "shared_victim": ("#b9770e", "6,4"),
    "association": ("#6c3483", "2,4"),
}
BANNER = "INTERNAL USE ONLY - pseudonymised - not for publication"


def layout_nodes(n_nodes: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Node positions scaled into the drawing area."""
    if n_nodes == 1:
        return np.array([[WIDTH / 2, HEIGHT / 2]])
    graph = ig.Graph(n=n_nodes, edges=pairs)
    coords = np.asarray(graph.layout_kamada_kawai(seed=graph.layout_circle().coords).coords)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    box = np.array([WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - 40])
    scaled: np.ndarray = MARGIN + (coords - low) / span * box + np.array([0, 40])
    return scaled


def draw_group_svg(group_pid: str, members: list[str], edges: list[tuple[str, str, str]]) -> str:
    """The SVG text of one group: ``edges`` are (person_pid_a, person_pid_b, edge_type)."""
    index = {pid: i for i, pid in enumerate(members)}
    pairs = sorted({(index[a], index[b]) for a, b, _ in edges})
    pos = layout_nodes(len(members), pairs)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="title">',
        f'<title id="title">Network of group {escape(group_pid)}: {len(members)} offenders, '
        f"{len(pairs)} linked pairs</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-family="sans-serif" font-size="13" fill="#a93226">'
        f"{escape(BANNER)}</text>",
        f'<text x="10" y="38" font-family="sans-serif" font-size="12">{escape(group_pid)}</text>',
    ]
    for a, b, edge_type in sorted(edges):
        colour, dash = EDGE_STYLE[edge_type]
        (x1, y1), (x2, y2) = pos[index[a]], pos[index[b]]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="1.5" stroke-opacity="0.7"{dash_attr}>'
            f"<title>{escape(edge_type)}</title></line>"
        )
    for pid, (x, y) in zip(members, pos, strict=True):
        label = escape(pid.split("_", 1)[-1][:6])
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#d6eaf8" stroke="#1b4f72">'
            f"<title>{escape(pid)}</title></circle>"
            f'<text x="{x:.1f}" y="{y + 22:.1f}" font-family="monospace" font-size="10" '
            f'text-anchor="middle">{label}</text>'
        )
    legend_y = HEIGHT - 12
    for i, (edge_type, (colour, dash)) in enumerate(EDGE_STYLE.items()):
        x = 10 + i * 200
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{legend_y - 4}" x2="{x + 30}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            f'<text x="{x + 36}" y="{legend_y}" font-family="sans-serif" font-size="11">'
            f"{escape(edge_type.replace('_', ' '))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
