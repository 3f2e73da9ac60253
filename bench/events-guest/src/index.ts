// The bench's TypeScript guest: `select … from github.events` over ONE page of 100 events
// (`GET {api_url}/events?per_page=100`), columns mapped by name (text, bool, jsonb, timestamp) —
// the same job as bench/rust-guest, so that the bench compares engines, not FDWs. ES5 syntax
// (var, function) so that `tsfdw build --engine micro` builds it even without the lowering stage.
import http from "supabase:wrappers/http@0.2.0";
import time from "supabase:wrappers/time@0.2.0";
import type { Cell, Context, Row, TypeOid } from "supabase:wrappers/types@0.2.0";

var events: Record<string, unknown>[] = [];
var names: string[] = [];
var kinds: string[] = [];
var next = 0;

function cell(v: unknown, kind: string): Cell | null {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "string":
      return { tag: "string", val: typeof v === "string" ? v : JSON.stringify(v) };
    case "bool":
      return typeof v === "boolean" ? { tag: "bool", val: v } : null;
    case "json":
      return { tag: "json", val: JSON.stringify(v) };
    case "timestamp":
      return { tag: "timestamp", val: time.parseFromRfc3339(String(v)) };
    case "timestamptz":
      return { tag: "timestamptz", val: time.parseFromRfc3339(String(v)) };
    default:
      throw new Error("unsupported column type " + kind);
  }
}

export var routines = {
  hostVersionRequirement: function (): string {
    return "^0.1.0";
  },
  init: function (_ctx: Context): void {},
  beginScan: function (ctx: Context): void {
    var base = ctx.getOptions({ tag: "server" }).requireOr("api_url", "https://api.github.com");
    var resp = http.get({
      method: { tag: "get" },
      url: base + "/events?per_page=100",
      headers: [["user-agent", "tsfdw bench"], ["accept", "application/vnd.github+json"]],
      body: "",
    });
    http.errorForStatus(resp);
    events = JSON.parse(resp.body) as Record<string, unknown>[];
    var cols = ctx.getColumns();
    names = [];
    kinds = [];
    for (var i = 0; i < cols.length; i++) {
      names.push(cols[i]!.name());
      kinds.push((cols[i]!.typeOid() as TypeOid).tag);
    }
    next = 0;
  },
  iterScan: function (_ctx: Context, row: Row): number | null {
    var ev = events[next];
    if (ev === undefined) return null;
    for (var i = 0; i < names.length; i++) row.push(cell(ev[names[i]!], kinds[i]!));
    next++;
    return 0;
  },
  reScan: function (_ctx: Context): void {
    next = 0;
  },
  endScan: function (_ctx: Context): void {
    events = [];
  },
  beginModify: function (_ctx: Context): void {
    throw new Error("read-only");
  },
  insert: function (_ctx: Context, _row: Row): void {
    throw new Error("read-only");
  },
  update: function (_ctx: Context, _rowid: Cell, _row: Row): void {
    throw new Error("read-only");
  },
  delete: function (_ctx: Context, _rowid: Cell): void {
    throw new Error("read-only");
  },
  endModify: function (_ctx: Context): void {},
  importForeignSchema: function (_ctx: Context): string[] {
    return [];
  },
};
