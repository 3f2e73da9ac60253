// Deterministic event generator: a seeded stream of Events API objects over the fixed world,
// newest first, with strictly decreasing second-precision timestamps and ids growing with time.
import type { JsonObject } from "./json.js";
import { API, EVENT_TYPES, PayloadFactory, isoSeconds, type EventType } from "./payloads.js";
import { Prng } from "./prng.js";
import { defaultWorld, maintainersOf, type World, type WorldRepo, type WorldUser } from "./world.js";

export { EVENT_TYPES, type EventType } from "./payloads.js";

/** `#/components/schemas/actor` (also used for `org`, which has no display_login). */
export interface EventActor {
  id: number;
  login: string;
  display_login?: string;
  gravatar_id: string | null;
  url: string;
  avatar_url: string;
}

export interface EventRepo {
  id: number;
  name: string;
  url: string;
}

/** `#/components/schemas/event`. `org` is absent (not null) for repos not owned by an org. */
export interface GitHubEvent {
  id: string;
  /** Free text: prebuilt datasets may carry legacy names. */
  type: string;
  actor: EventActor;
  repo: EventRepo;
  payload: JsonObject;
  public: boolean;
  created_at: string;
  org?: EventActor;
}

export interface GenerateOptions {
  /** Number of public events (default DEFAULT_EVENT_COUNT); private ones come on top (about 14%). */
  count?: number;
  /** PRNG seed (default DEFAULT_SEED). */
  seed?: number;
  /** Time of the newest event: Date, ISO string or epoch milliseconds (default: now, floored to the second). */
  newest?: Date | string | number;
  /** The world to act in (default defaultWorld()). */
  world?: World;
}

/** Public events by default: a bit above the 300 cap so /events exercises the cap out of the box. */
export const DEFAULT_EVENT_COUNT = 320;
export const DEFAULT_SEED = 1;

/** Relative frequencies, roughly as seen on the public timeline. */
const TYPE_WEIGHTS: readonly (readonly [EventType, number])[] = [
  ["PushEvent", 35],
  ["CreateEvent", 8],
  ["WatchEvent", 10],
  ["PullRequestEvent", 10],
  ["IssueCommentEvent", 8],
  ["IssuesEvent", 6],
  ["PullRequestReviewEvent", 4],
  ["PullRequestReviewCommentEvent", 4],
  ["ForkEvent", 3],
  ["DeleteEvent", 3],
  ["ReleaseEvent", 2],
  ["DiscussionEvent", 2],
  ["CommitCommentEvent", 1],
  ["MemberEvent", 1],
  ["GollumEvent", 1],
  ["PublicEvent", 1],
];

/** Private repos cannot be made public again or forked in this model. */
const PRIVATE_TYPE_WEIGHTS = TYPE_WEIGHTS.filter(([t]) => t !== "PublicEvent" && t !== "ForkEvent");

/** Share of steps that are private events (added on top of the public count). */
const PRIVATE_SHARE = 0.12;

/** Types only someone with push access performs. */
const WRITE_TYPES = new Set<EventType>(["PushEvent", "CreateEvent", "DeleteEvent", "ReleaseEvent", "MemberEvent", "PublicEvent", "GollumEvent"]);
const BOT_TYPES = new Set<EventType>(["PushEvent", "CreateEvent", "DeleteEvent", "PullRequestEvent"]);

/** Oldest generated id; real ids passed 11 digits long ago. */
const FIRST_ID = 52_000_000_000;

export function toEpochSeconds(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === "string" ? Date.parse(t) : t;
  if (!Number.isFinite(ms)) throw new Error(`invalid time: ${String(t)}`);
  return Math.floor(ms / 1000);
}

/**
 * Stateful so a live feed can keep growing: after `generate`, `next(n)` continues the same
 * stream with newer events (larger ids, later timestamps).
 */
export class EventGenerator {
  readonly world: World;
  private readonly prng: Prng;
  private readonly payloads: PayloadFactory;
  private readonly usersByLogin: Map<string, WorldUser>;
  private readonly humans: WorldUser[];
  private readonly bots: WorldUser[];
  private readonly actors = new Map<string, EventActor>();
  private readonly orgActors = new Map<string, EventActor>();
  private readonly plan: Prng;
  private readonly publicRepoWeights: (readonly [WorldRepo, number])[];
  private readonly privateRepoWeights: (readonly [WorldRepo, number])[];
  private readonly sourceRepos: WorldRepo[];
  private readonly hasPrivateRepos: boolean;
  private lastTime: number | null = null;
  private lastId = FIRST_ID;

  constructor(options: { seed?: number; world?: World } = {}) {
    this.world = options.world ?? defaultWorld();
    this.prng = new Prng(options.seed ?? DEFAULT_SEED);
    this.payloads = new PayloadFactory(this.prng, this.world);
    this.usersByLogin = new Map(this.world.users.map((u) => [u.login, u]));
    this.humans = this.world.users.filter((u) => u.kind === "User");
    this.bots = this.world.users.filter((u) => u.kind === "Bot");
    const seed = options.seed ?? DEFAULT_SEED;
    this.plan = new Prng(seed ^ 0x9e3779b9);
    this.publicRepoWeights = this.world.repos.filter((r) => !r.private).map((r) => [r, r.weight] as const);
    this.privateRepoWeights = this.world.repos.filter((r) => r.private).map((r) => [r, r.weight] as const);
    this.sourceRepos = this.world.repos.filter((r) => !r.private && r.parent === null);
    this.hasPrivateRepos = this.privateRepoWeights.length > 0;
    this.lastId += this.prng.int(0, 999_999);
  }

  /**
   * `publicCount` public events, the newest at `newestSecs` (epoch seconds), newest first.
   * Private events (on private repos) are interleaved on top of that count, so the public
   * timeline holds exactly `publicCount` events while user-authenticated feeds see more.
   */
  generate(publicCount: number, newestSecs: number): GitHubEvent[] {
    // The plan (which steps are private, the gaps) comes from its own stream so that the total
    // length and time span are known before any event is built.
    const privateSteps: boolean[] = [];
    let publics = 0;
    while (publics < publicCount) {
      const priv = this.hasPrivateRepos && this.plan.chance(PRIVATE_SHARE);
      privateSteps.push(priv);
      if (!priv) publics++;
    }
    const count = privateSteps.length;
    const gaps: number[] = [];
    let span = 0;
    for (let i = 1; i < count; i++) {
      const g = this.gap();
      gaps.push(g);
      span += g;
    }
    // One of each of the 16 types spread through the public steps, so any sizeable sample has variety.
    const forced = new Map<number, EventType>();
    if (publicCount >= EVENT_TYPES.length) {
      const publicSteps: number[] = [];
      privateSteps.forEach((priv, i) => {
        if (!priv) publicSteps.push(i);
      });
      EVENT_TYPES.forEach((t, k) => {
        const step = publicSteps[Math.floor(((k + 0.5) * publicCount) / EVENT_TYPES.length)];
        if (step !== undefined) forced.set(step, t);
      });
    }
    const out: GitHubEvent[] = new Array(count);
    let time = newestSecs - span;
    for (let i = 0; i < count; i++) {
      if (i > 0) time += gaps[i - 1] ?? 1;
      out[count - 1 - i] = this.event(time, privateSteps[i] === true, forced.get(i));
    }
    return out;
  }

  /** `n` public events newer than all generated so far; newest first. */
  next(n: number): GitHubEvent[] {
    const out: GitHubEvent[] = new Array(n);
    let time = this.lastTime ?? toEpochSeconds(Date.now());
    for (let i = 0; i < n; i++) {
      time += this.plan.int(1, 5);
      out[n - 1 - i] = this.event(time, false, undefined);
    }
    return out;
  }

  /** Continue after an externally supplied dataset (its newest time and largest id). */
  continueAfter(timeSecs: number, id: number): void {
    this.lastTime = Math.max(this.lastTime ?? timeSecs, timeSecs);
    this.lastId = Math.max(this.lastId, id);
  }

  /** Mostly short gaps with an occasional lull, so timelines look bursty. */
  private gap(): number {
    return this.plan.chance(0.05) ? this.plan.int(60, 900) : this.plan.int(1, 40);
  }

  private event(time: number, isPrivate: boolean, forcedType: EventType | undefined): GitHubEvent {
    const type = forcedType ?? this.prng.weighted(isPrivate ? PRIVATE_TYPE_WEIGHTS : TYPE_WEIGHTS);
    const repo = this.pickRepo(type, isPrivate);
    const actor = this.pickActor(type, repo);
    const payload = this.payloads.build(type, repo, actor, time);
    this.lastId += this.prng.int(1, 997);
    this.lastTime = time;
    const ev: GitHubEvent = {
      id: String(this.lastId),
      type,
      actor: this.actorOf(actor),
      repo: { id: repo.id, name: repo.fullName, url: `${API}/repos/${repo.fullName}` },
      payload,
      public: !repo.private,
      created_at: isoSeconds(time),
    };
    // Key order follows github.com: org comes last, and only for org-owned repos.
    if (repo.ownerIsOrg) ev.org = this.orgOf(repo.owner);
    return ev;
  }

  private pickRepo(type: EventType, isPrivate: boolean): WorldRepo {
    if (isPrivate) return this.prng.weighted(this.privateRepoWeights);
    // Publicising and forking happen on public repos; forks of forks are left out.
    if (type === "PublicEvent" || type === "ForkEvent") return this.prng.pick(this.sourceRepos);
    return this.prng.weighted(this.publicRepoWeights);
  }

  private pickActor(type: EventType, repo: WorldRepo): WorldUser {
    const access = this.accessOf(repo);
    if (!repo.private && BOT_TYPES.has(type) && this.bots.length > 0 && this.prng.chance(0.1)) {
      return this.prng.pick(this.bots);
    }
    if (repo.private || WRITE_TYPES.has(type)) {
      return access.length > 0 ? this.prng.pick(access) : this.prng.pick(this.humans);
    }
    if (type === "ForkEvent" || type === "WatchEvent") {
      const outsiders = this.humans.filter((u) => !access.includes(u));
      if (outsiders.length > 0) return this.prng.pick(outsiders);
    }
    return this.prng.pick(this.humans);
  }

  private readonly access = new Map<WorldRepo, WorldUser[]>();
  private accessOf(repo: WorldRepo): WorldUser[] {
    let a = this.access.get(repo);
    if (!a) {
      a = maintainersOf(this.world, repo)
        .map((l) => this.usersByLogin.get(l))
        .filter((u): u is WorldUser => u !== undefined);
      this.access.set(repo, a);
    }
    return a;
  }

  private actorOf(u: WorldUser): EventActor {
    let a = this.actors.get(u.login);
    if (!a) {
      a = {
        id: u.id,
        login: u.login,
        display_login: u.displayLogin,
        gravatar_id: "",
        url: `${API}/users/${u.login}`,
        avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      };
      this.actors.set(u.login, a);
    }
    return a;
  }

  private orgOf(login: string): EventActor {
    let a = this.orgActors.get(login);
    if (!a) {
      const org = this.world.orgs.find((o) => o.login === login);
      const id = org?.id ?? 0;
      a = { id, login, gravatar_id: "", url: `${API}/orgs/${login}`, avatar_url: `https://avatars.githubusercontent.com/u/${id}?` };
      this.orgActors.set(login, a);
    }
    return a;
  }
}

/** One-shot helper: `count` public events plus interleaved private ones, newest first. */
export function generateEvents(options: GenerateOptions = {}): GitHubEvent[] {
  const gen = new EventGenerator({ seed: options.seed ?? DEFAULT_SEED, world: options.world ?? defaultWorld() });
  return gen.generate(options.count ?? DEFAULT_EVENT_COUNT, toEpochSeconds(options.newest ?? Date.now()));
}
