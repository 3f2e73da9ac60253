// The table option `object`: which remote collection a foreign table reads. A declarative FDW
// (sdk/fdw.ts) lists its objects as templates — `customers`, `repos/{owner}/{repo}/events` — where
// each `{name}` takes exactly one path segment: not empty, not `.` or `..` (so a name can never
// climb out of the path). Matching is segment by segment rather than with a RegExp built at run
// time: the micro engine compiles regular expressions at build time, from literals only.

/** The option value as written, without surrounding spaces and slashes: ` /repos/o/r/events/ ` → `repos/o/r/events`. */
export function normalizeObject(object: string): string {
  return object.trim().replace(/^\/+|\/+$/g, "");
}

/** True when the template has `{name}` parts. */
export function hasNames(template: string): boolean {
  return template.indexOf("{") >= 0;
}

/**
 * The names a (normalized) object gives a template's `{…}` parts, e.g. `{ owner: "o", repo: "r" }`
 * for `repos/{owner}/{repo}/events` and `repos/o/r/events`; undefined when it does not match.
 */
export function matchObject(template: string, object: string): Record<string, string> | undefined {
  if (/(^|\/)\.\.?(\/|$)/.test(object)) return undefined;
  const want = template.split("/");
  const got = object.split("/");
  if (want.length !== got.length) return undefined;
  const names: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.charAt(0) === "{" && w.charAt(w.length - 1) === "}") {
      if (g === "") return undefined;
      names[w.slice(1, -1)] = g;
    } else if (w !== g) {
      return undefined;
    }
  }
  return names;
}

/**
 * The template with its `{…}` run replaced by `value`: `repos/{owner}/{repo}/events` + `o/r` →
 * `repos/o/r/events` (one value fills every name, `/`-separated). Check the result with matchObject.
 */
export function fillObject(template: string, value: string): string {
  return template.split(/\{.*\}/).join(value);
}

/** The object as a URL path: each segment percent-encoded (`dependabot[bot]` → `dependabot%5Bbot%5D`). */
export function objectPath(object: string): string {
  return object.split("/").map(encodeURIComponent).join("/");
}
