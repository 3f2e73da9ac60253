// Which events each of the nine feeds returns, and who may see private ones.
// Names compare case-insensitively, as GitHub's owner/repo/org/username path parameters do.
import type { GitHubEvent } from "./events.js";
import { maintainersOf, type World } from "./world.js";

export type FeedRoute =
  | { kind: "public" }
  | { kind: "network"; owner: string; repo: string }
  | { kind: "org"; org: string }
  | { kind: "repo"; owner: string; repo: string }
  | { kind: "user"; user: string }
  | { kind: "user-org"; user: string; org: string }
  | { kind: "user-public"; user: string }
  | { kind: "received"; user: string }
  | { kind: "received-public"; user: string };

/** Parses one of the nine event paths; anything else (including a trailing slash) is null → 404. */
export function parseFeedPath(pathname: string): FeedRoute | null {
  if (!pathname.startsWith("/")) return null;
  let seg: string[];
  try {
    seg = pathname.slice(1).split("/").map(decodeURIComponent);
  } catch {
    return null;
  }
  if (seg.some((s) => s === "")) return null;
  const [a, b, c, d, e] = seg;
  switch (seg.length) {
    case 1:
      return a === "events" ? { kind: "public" } : null;
    case 3:
      if (a === "orgs" && c === "events" && b) return { kind: "org", org: b };
      if (a === "users" && c === "events" && b) return { kind: "user", user: b };
      if (a === "users" && c === "received_events" && b) return { kind: "received", user: b };
      return null;
    case 4:
      if (a === "repos" && d === "events" && b && c) return { kind: "repo", owner: b, repo: c };
      if (a === "networks" && d === "events" && b && c) return { kind: "network", owner: b, repo: c };
      if (a === "users" && c === "events" && d === "public" && b) return { kind: "user-public", user: b };
      if (a === "users" && c === "received_events" && d === "public" && b) return { kind: "received-public", user: b };
      return null;
    case 5:
      if (a === "users" && c === "events" && d === "orgs" && b && e) return { kind: "user-org", user: b, org: e };
      return null;
    default:
      return null;
  }
}

/** Stable cache key for a route as seen by a viewer (null = anonymous). */
export function feedKey(route: FeedRoute, viewer: string | null): string {
  return JSON.stringify([route, viewer]).toLowerCase();
}

interface RepoInfo {
  private: boolean;
  /** Lowercased full name of the network root (the repo itself unless it is a fork). */
  root: string;
  /** Lowercased logins that may see the repo's private events. */
  access: Set<string>;
  /** Known only from events (not the world): privacy follows the events. */
  learned: boolean;
}

const lc = (s: string): string => s.toLowerCase();

/**
 * What is known about users, orgs and repos: the world plus whatever appears in the events
 * (so prebuilt datasets work too). Events themselves are passed to `select` each time.
 */
export class FeedIndex {
  private readonly users = new Map<string, { login: string; id: number }>();
  private readonly orgs = new Map<string, { login: string; id: number; members: Set<string> }>();
  private readonly repos = new Map<string, RepoInfo>();
  private readonly follows = new Map<string, Set<string>>();
  private readonly watches = new Map<string, Set<string>>();

  constructor(world: World) {
    for (const u of world.users) this.users.set(lc(u.login), { login: u.login, id: u.id });
    for (const o of world.orgs) this.orgs.set(lc(o.login), { login: o.login, id: o.id, members: new Set(o.members.map(lc)) });
    const parents = new Map(world.repos.map((r) => [lc(r.fullName), r.parent === null ? null : lc(r.parent)]));
    const rootOf = (name: string): string => {
      let cur = name;
      for (let hops = 0; hops < 32; hops++) {
        const p = parents.get(cur);
        if (!p) return cur;
        cur = p;
      }
      return cur;
    };
    for (const r of world.repos) {
      this.repos.set(lc(r.fullName), { private: r.private, root: rootOf(lc(r.fullName)), access: new Set(maintainersOf(world, r).map(lc)), learned: false });
    }
    for (const [who, whom] of Object.entries(world.follows)) this.follows.set(lc(who), new Set(whom.map(lc)));
    for (const [who, what] of Object.entries(world.watches)) this.watches.set(lc(who), new Set(what.map(lc)));
  }

  /** Learns actors, orgs and repos that the world does not define. */
  addEvents(events: readonly GitHubEvent[]): void {
    for (const e of events) {
      const actor = lc(e.actor.login);
      if (!this.users.has(actor)) this.users.set(actor, { login: e.actor.login, id: e.actor.id });
      if (e.org && !this.orgs.has(lc(e.org.login))) this.orgs.set(lc(e.org.login), { login: e.org.login, id: e.org.id, members: new Set() });
      const name = lc(e.repo.name);
      let repo = this.repos.get(name);
      if (!repo) {
        // A repo only known from events is private until one of its events is public.
        repo = { private: !e.public, root: name, access: new Set(), learned: true };
        this.repos.set(name, repo);
      } else if (repo.learned && e.public) {
        repo.private = false;
      }
      // Whoever performed a private event has access to that repo (and belongs to its org).
      if (!e.public) {
        repo.access.add(actor);
        if (e.org) this.orgs.get(lc(e.org.login))?.members.add(actor);
      }
    }
  }

  userId(login: string): number | undefined {
    return this.users.get(lc(login))?.id ?? this.orgs.get(lc(login))?.id;
  }

  private hasAccess(repoName: string, viewer: string | null): boolean {
    return viewer !== null && this.repos.get(lc(repoName))?.access.has(lc(viewer)) === true;
  }

  /** Private events are shown only to viewers with access to their repo. */
  private visible(e: GitHubEvent, viewer: string | null): boolean {
    return e.public || this.hasAccess(e.repo.name, viewer);
  }

  /** A repo's feeds exist for everyone if it is public, else only for viewers with access (404 otherwise). */
  private repoExists(name: string, viewer: string | null): boolean {
    const r = this.repos.get(name);
    return r !== undefined && (!r.private || this.hasAccess(name, viewer));
  }

  /** The feed's events (newest first, before paging and cap), or null for 404. */
  select(route: FeedRoute, events: readonly GitHubEvent[], viewer: string | null): GitHubEvent[] | null {
    const me = viewer === null ? null : lc(viewer);
    switch (route.kind) {
      case "public":
        return events.filter((e) => e.public);
      case "repo": {
        const name = lc(`${route.owner}/${route.repo}`);
        if (!this.repoExists(name, viewer)) return null;
        return events.filter((e) => lc(e.repo.name) === name && this.visible(e, viewer));
      }
      case "network": {
        const name = lc(`${route.owner}/${route.repo}`);
        const repo = this.repos.get(name);
        if (!repo || !this.repoExists(name, viewer)) return null;
        return events.filter((e) => e.public && this.repos.get(lc(e.repo.name))?.root === repo.root);
      }
      case "org": {
        const org = lc(route.org);
        if (!this.orgs.has(org)) return null;
        return events.filter((e) => e.public && e.org !== undefined && lc(e.org.login) === org);
      }
      case "user":
      case "user-public": {
        const user = lc(route.user);
        // Orgs are users too on /users/{username}: their feed exists (and is usually empty).
        if (!this.users.has(user) && !this.orgs.has(user)) return null;
        const withPrivate = route.kind === "user" && me === user;
        return events.filter((e) => lc(e.actor.login) === user && (e.public || withPrivate));
      }
      case "user-org": {
        // The organization dashboard exists only for the authenticated user, for orgs they belong to.
        const user = lc(route.user);
        const org = this.orgs.get(lc(route.org));
        if (me !== user || !org || !org.members.has(user)) return null;
        return events.filter((e) => e.org !== undefined && lc(e.org.login) === lc(route.org) && this.visible(e, user));
      }
      case "received":
      case "received-public": {
        const user = lc(route.user);
        if (!this.users.has(user) && !this.orgs.has(user)) return null;
        const follows = this.follows.get(user) ?? new Set<string>();
        const watches = this.watches.get(user) ?? new Set<string>();
        const withPrivate = route.kind === "received" && me === user;
        return events.filter((e) => {
          const actor = lc(e.actor.login);
          if (actor === user) return false;
          if (!follows.has(actor) && !watches.has(lc(e.repo.name))) return false;
          return e.public || (withPrivate && this.hasAccess(e.repo.name, user));
        });
      }
    }
  }
}
