// The small, fixed world the generated events happen in: users, orgs, repos and who follows or
// watches what. It is static (independent of the seed) so tests can reason about feeds by name.

export interface WorldUser {
  id: number;
  login: string;
  /** Bots ("dependabot[bot]") show a shorter display_login, as on github.com. */
  displayLogin: string;
  kind: "User" | "Bot";
}

export interface WorldOrg {
  id: number;
  login: string;
  /** Logins of members; they may act on the org's private repos and read its dashboard feed. */
  members: string[];
}

export interface WorldRepo {
  id: number;
  /** "owner/name" exactly as GitHub spells it (case preserved). */
  fullName: string;
  owner: string;
  name: string;
  ownerIsOrg: boolean;
  private: boolean;
  /** Full name of the repo this one was forked from; forks share the parent's network. */
  parent: string | null;
  description: string | null;
  defaultBranch: string;
  language: string | null;
  /** Non-owner users with push access (for user-owned repos). */
  collaborators: string[];
  /** Relative activity: busier repos get more events. */
  weight: number;
}

export interface World {
  users: WorldUser[];
  orgs: WorldOrg[];
  repos: WorldRepo[];
  /** login → logins they follow (their received_events include these users' actions). */
  follows: Record<string, string[]>;
  /** login → repo full names they watch (their received_events include events on these). */
  watches: Record<string, string[]>;
  /** The user a configured token belongs to, unless the server is told otherwise. */
  defaultTokenUser: string;
}

function user(id: number, login: string): WorldUser {
  return { id, login, displayLogin: login, kind: "User" };
}

function bot(id: number, login: string): WorldUser {
  return { id, login, displayLogin: login.replace(/\[bot\]$/, ""), kind: "Bot" };
}

function repo(
  id: number,
  fullName: string,
  opts: Partial<Omit<WorldRepo, "id" | "fullName" | "owner" | "name">> & { ownerIsOrg: boolean },
): WorldRepo {
  const [owner = "", name = ""] = fullName.split("/");
  return {
    id,
    fullName,
    owner,
    name,
    ownerIsOrg: opts.ownerIsOrg,
    private: opts.private ?? false,
    parent: opts.parent ?? null,
    description: opts.description === undefined ? null : opts.description,
    defaultBranch: opts.defaultBranch ?? "main",
    language: opts.language === undefined ? "TypeScript" : opts.language,
    collaborators: opts.collaborators ?? [],
    weight: opts.weight ?? 1,
  };
}

export function defaultWorld(): World {
  const users: WorldUser[] = [
    user(583231, "octocat"),
    user(1024025, "monalisa"),
    user(480938, "hubot"),
    user(3810462, "spacewalker"),
    user(5273615, "ferris-dev"),
    user(7126491, "zoe-q"),
    user(8841302, "kai-7"),
    user(9017733, "nadia-o"),
    user(10245621, "tanuki-jp"),
    user(11893017, "Ola-Nordmann"),
    bot(49699333, "dependabot[bot]"),
    bot(41898282, "github-actions[bot]"),
  ];
  const orgs: WorldOrg[] = [
    { id: 9919, login: "octo-org", members: ["octocat", "monalisa", "hubot"] },
    { id: 2718281, login: "acme-labs", members: ["spacewalker", "ferris-dev", "octocat"] },
    { id: 3141592, login: "pg-wasm", members: ["zoe-q", "kai-7", "nadia-o"] },
  ];
  const repos: WorldRepo[] = [
    repo(1296269, "octocat/Hello-World", { ownerIsOrg: false, description: "My first repository on GitHub!", language: null, defaultBranch: "master", weight: 3 }),
    repo(1300192, "octocat/Spoon-Knife", { ownerIsOrg: false, description: "This repo is for demonstration purposes only.", language: "HTML", weight: 2 }),
    repo(1310012, "octocat/dotfiles", { ownerIsOrg: false, private: true, description: null, language: "Shell", weight: 2 }),
    repo(1400001, "octo-org/octo-repo", { ownerIsOrg: true, description: "Octo's \"main\" repo — ünïcödé & <html> welcome", weight: 4 }),
    repo(1400002, "octo-org/hello-world", { ownerIsOrg: true, description: null, weight: 3 }),
    repo(1400003, "octo-org/infra", { ownerIsOrg: true, private: true, description: "Terraform for prod (private)", language: "HCL", weight: 2 }),
    repo(1500001, "acme-labs/rocket", { ownerIsOrg: true, description: "🚀 A rocket-fast HTTP router", language: "Rust", weight: 4 }),
    repo(1500002, "acme-labs/widgets", { ownerIsOrg: true, description: "Widgets, gadgets & gizmos", language: "Go", weight: 2 }),
    repo(1500003, "acme-labs/secret-sauce", { ownerIsOrg: true, private: true, description: null, language: "Python", weight: 2 }),
    repo(1600001, "pg-wasm/tsfdw-demo", { ownerIsOrg: true, description: "Postgres FDWs in TypeScript → WebAssembly", weight: 3 }),
    repo(1600002, "pg-wasm/pg-wasm.github.io", { ownerIsOrg: true, description: "Project site", language: "HTML", defaultBranch: "gh-pages", weight: 1 }),
    repo(1700001, "monalisa/smile", { ownerIsOrg: false, description: "😊 日本語 README & émojis", language: "JavaScript", collaborators: ["hubot"], weight: 2 }),
    repo(1700002, "hubot/scripts", { ownerIsOrg: false, description: "Scripts for 'hubot'", language: "CoffeeScript", weight: 1 }),
    repo(1700003, "zoe-q/notes", { ownerIsOrg: false, description: "", language: "Markdown", weight: 1 }),
    repo(1700004, "tanuki-jp/kitsune", { ownerIsOrg: false, description: "狐 — a tiny static site generator", language: "Rust", weight: 1 }),
    // Forks: they belong to their parent's network (/networks/{owner}/{repo}/events).
    repo(1800001, "monalisa/hello-world", { ownerIsOrg: false, parent: "octo-org/hello-world", description: null, weight: 1 }),
    repo(1800002, "kai-7/rocket", { ownerIsOrg: false, parent: "acme-labs/rocket", description: "🚀 A rocket-fast HTTP router", language: "Rust", weight: 1 }),
    repo(1800003, "ferris-dev/Spoon-Knife", { ownerIsOrg: false, parent: "octocat/Spoon-Knife", description: "This repo is for demonstration purposes only.", language: "HTML", weight: 1 }),
  ];
  const follows: Record<string, string[]> = {
    octocat: ["monalisa", "hubot", "zoe-q"],
    monalisa: ["octocat", "spacewalker"],
    hubot: ["octocat"],
    spacewalker: ["ferris-dev", "kai-7", "octocat"],
    "ferris-dev": ["spacewalker"],
    "zoe-q": ["kai-7", "nadia-o", "tanuki-jp"],
    "kai-7": ["zoe-q"],
    "nadia-o": ["zoe-q", "Ola-Nordmann"],
    "tanuki-jp": ["octocat", "Ola-Nordmann"],
    "Ola-Nordmann": [],
  };
  const watches: Record<string, string[]> = {
    octocat: ["acme-labs/rocket", "pg-wasm/tsfdw-demo", "octocat/dotfiles"],
    monalisa: ["octo-org/octo-repo", "octocat/Hello-World"],
    hubot: ["monalisa/smile", "octo-org/infra"],
    spacewalker: ["acme-labs/rocket", "acme-labs/widgets"],
    "ferris-dev": ["acme-labs/rocket", "kai-7/rocket"],
    "zoe-q": ["pg-wasm/tsfdw-demo"],
    "kai-7": ["pg-wasm/tsfdw-demo", "acme-labs/rocket"],
    "nadia-o": ["pg-wasm/pg-wasm.github.io"],
    "tanuki-jp": [],
    "Ola-Nordmann": ["tanuki-jp/kitsune", "octocat/Spoon-Knife"],
  };
  return { users, orgs, repos, follows, watches, defaultTokenUser: "octocat" };
}

/** Logins that may push to / act on a repo: the owner (or org members) plus collaborators. */
export function maintainersOf(world: World, r: WorldRepo): string[] {
  if (r.ownerIsOrg) {
    const org = world.orgs.find((o) => o.login === r.owner);
    return [...(org?.members ?? []), ...r.collaborators];
  }
  return [r.owner, ...r.collaborators];
}
