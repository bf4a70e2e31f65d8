/**
 * A stacked bar chart as a self-contained SVG (no fonts or scripts fetched: the docs are read offline too): one
 * bar per group, one coloured part per named component, the total printed above each bar.
 */
export interface Bar {
  label: string;
  parts: { name: string; value: number }[];
}

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2'];
const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function costChart(bars: Bar[], unit: string): string {
  const names = [...new Set(bars.flatMap((bar) => bar.parts.map((p) => p.name)))];
  const plot = { left: 70, top: 40, bottom: 260 };
  const width = Math.max(120 + bars.length * 110, plot.left + names.length * 110 + 20);
  const height = 320;
  const totals = bars.map((bar) => bar.parts.reduce((sum, p) => sum + p.value, 0));
  const max = Math.max(1e-9, ...totals) * 1.15;
  const y = (value: number) => plot.bottom - (value / max) * (plot.bottom - plot.top);
  const colour = (name: string) => COLOURS[names.indexOf(name) % COLOURS.length] as string;
  const shapes: string[] = [];
  bars.forEach((bar, i) => {
    const x = plot.left + 30 + i * 110;
    let base = 0;
    for (const part of bar.parts) {
      const top = y(base + part.value);
      shapes.push(
        `<rect x="${x}" y="${top.toFixed(1)}" width="60" height="${(y(base) - top).toFixed(1)}" fill="${colour(part.name)}"><title>${xmlText(`${part.name}: ${part.value.toFixed(0)} ${unit}`)}</title></rect>`,
      );
      base += part.value;
    }
    shapes.push(
      `<text x="${x + 30}" y="${(y(base) - 6).toFixed(1)}" text-anchor="middle">${base.toFixed(0)}</text>`,
    );
    shapes.push(
      `<text x="${x + 30}" y="${plot.bottom + 18}" text-anchor="middle">${xmlText(bar.label)}</text>`,
    );
  });
  const legend = names.map(
    (name, i) =>
      `<rect x="${plot.left + i * 110}" y="${height - 28}" width="12" height="12" fill="${colour(name)}"/><text x="${plot.left + 18 + i * 110}" y="${height - 18}">${xmlText(name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${plot.left}" y="20" font-weight="bold">${xmlText(unit)}</text>`,
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${width - 20}" y2="${plot.bottom}" stroke="#333"/>`,
    `<line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}" stroke="#333"/>`,
    ...shapes,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
