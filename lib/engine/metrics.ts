// Counters for status and Prometheus. Keys are the exposition's own series names, built once per
// distinct label set (a Map lookup per increment, no allocation once a series exists).

export class Counters {
  private readonly values = new Map<string, number>();
  private readonly help = new Map<string, string>();
  private readonly seriesKeys = new Map<string, Map<string, string>>();

  describe(name: string, help: string): void {
    this.help.set(name, help);
  }

  inc(name: string, label?: [string, string | number], by = 1): void {
    const key = label ? this.seriesKey(name, label) : name;
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  private seriesKey(name: string, [label, value]: [string, string | number]): string {
    let byValue = this.seriesKeys.get(name);
    if (!byValue) this.seriesKeys.set(name, (byValue = new Map()));
    const v = String(value);
    let key = byValue.get(v);
    if (!key) byValue.set(v, (key = `${name}{${label}="${v.replace(/["\\\n]/g, "_")}"}`));
    return key;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }

  /** Prometheus text exposition format 0.0.4. */
  render(gauges: Record<string, number>): string {
    const lines: string[] = [];
    const names = new Set([...this.values.keys()].map((k) => k.split("{")[0]));
    for (const name of [...names].sort()) {
      lines.push(`# HELP ${name} ${this.help.get(name) ?? name}`, `# TYPE ${name} counter`);
      for (const [key, value] of this.values)
        if (key === name || key.startsWith(`${name}{`)) lines.push(`${key} ${value}`);
    }
    for (const [name, value] of Object.entries(gauges)) lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
    return `${lines.join("\n")}\n`;
  }
}
