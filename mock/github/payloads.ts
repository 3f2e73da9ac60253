// Payload builders for the 16 event types, in the shapes github.com serves since the 2025-10-07 trim:
// PushEvent without commits/size, PullRequest* with pull-request-minimal, no author_association.
import type { Json, JsonObject } from "./json.js";
import type { Prng } from "./prng.js";
import type { World, WorldRepo, WorldUser } from "./world.js";

export const API = "https://api.github.com";
export const WEB = "https://github.com";

export const EVENT_TYPES = [
  "PushEvent",
  "CreateEvent",
  "DeleteEvent",
  "WatchEvent",
  "ForkEvent",
  "IssuesEvent",
  "IssueCommentEvent",
  "PullRequestEvent",
  "PullRequestReviewEvent",
  "PullRequestReviewCommentEvent",
  "CommitCommentEvent",
  "ReleaseEvent",
  "MemberEvent",
  "GollumEvent",
  "PublicEvent",
  "DiscussionEvent",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Awkward-but-real text: quotes, backslashes, HTML, emoji, CJK, RTL, tabs. */
const ISSUE_TITLES = [
  "Crash when path contains spaces",
  'Support "quoted" identifiers in table options',
  "Unicode: ünïcödé filenames break the importer 🐛",
  "日本語のタイトルが文字化けする",
  "Docs: typo in README",
  "Escape <b>HTML</b> & ampersands in output",
  "Memory leak in connection pool",
  "Feature request: dark mode 🌙",
  "Question: how do I set the 'per_page' option?",
  "Regression in v2.3.1: C:\\Users\\ paths on Windows",
  "مرحبا — RTL text renders wrong",
  "Emoji in commit messages 👍🏽 cause a 500",
  "null description causes TypeError",
  "Tab\tseparated values aren't parsed",
];

const BODIES: (string | null)[] = [
  null,
  "Steps to reproduce:\r\n\r\n1. Run `make`\r\n2. See error\r\n\r\n```\r\nError: \"unexpected token\" at line 1\r\n```",
  "Same here 👍",
  "LGTM — merging once CI is green.",
  "I think this is caused by `JSON.parse(\"\\u0000\")`… see #12.",
  "",
  "Ça marche pas avec les caractères accentués (é, è, à).",
  "<script>alert('xss')</script> should be escaped",
  "Thanks! 🙏 ありがとう",
];

const BRANCHES = [
  "feature/login",
  "fix/issue-42",
  "dependabot/npm_and_yarn/esbuild-0.25.0",
  "release/v1.2",
  "docs/ünïcode-guide",
  "refactor/pool",
  "wip",
];

const LABELS: readonly (readonly [string, string, string | null, boolean])[] = [
  ["bug", "d73a4a", "Something isn't working", true],
  ["enhancement", "a2eeef", "New feature or request", true],
  ["good first issue", "7057ff", "Good for newcomers", true],
  ["needs: triage 🔍", "ededed", null, false],
];

const PATHS = ["src/index.ts", "README.md", "src/http/client.ts", "docs/ünïcode.md", "Cargo.toml", "lib/a b/c.js"];

const WIKI_PAGES = ["Home", "Getting-Started", "FAQ", "Design-Notes", "Übersicht"];

function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");
}

export function isoSeconds(epochSecs: number): string {
  return new Date(epochSecs * 1000).toISOString().slice(0, 19) + "Z";
}

interface RepoState {
  number: number;
  release: number;
  head: string;
}

/** Builds payloads; keeps per-repo counters so issue numbers and SHAs form plausible histories. */
export class PayloadFactory {
  private readonly users = new Map<string, JsonObject>();
  private readonly repoState = new Map<string, RepoState>();
  private ids = {
    push: 10_115_855_396, // real push_ids are > 2^31
    issue: 1_250_000_000,
    comment: 2_100_000_000,
    pr: 1_900_000_000,
    review: 2_300_000_000,
    reviewComment: 1_700_000_000,
    release: 150_000_000,
    discussion: 7_000_000,
    repo: 900_000_000,
  };

  constructor(
    private readonly prng: Prng,
    private readonly world: World,
  ) {}

  build(type: EventType, repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    switch (type) {
      case "PushEvent":
        return this.push(repo);
      case "CreateEvent":
        return this.create(repo);
      case "DeleteEvent":
        return this.delete(repo);
      case "WatchEvent":
        return { action: "started" };
      case "ForkEvent":
        return { action: "forked", forkee: this.forkee(repo, actor, time) };
      case "IssuesEvent":
        return this.issues(repo, actor, time);
      case "IssueCommentEvent":
        return this.issueComment(repo, actor, time);
      case "PullRequestEvent":
        return this.pullRequest(repo);
      case "PullRequestReviewEvent":
        return this.review(repo, actor, time);
      case "PullRequestReviewCommentEvent":
        return this.reviewComment(repo, actor, time);
      case "CommitCommentEvent":
        return this.commitComment(repo, actor, time);
      case "ReleaseEvent":
        return this.release(repo, actor, time);
      case "MemberEvent":
        return { action: "added", member: this.simpleUser(this.otherUser(actor)) };
      case "GollumEvent":
        return this.gollum(repo);
      case "PublicEvent":
        return {};
      case "DiscussionEvent":
        return this.discussion(repo, actor, time);
    }
  }

  /** simple-user objects are shared between events (they are immutable once serialized). */
  simpleUser(u: WorldUser): JsonObject {
    let cached = this.users.get(u.login);
    if (!cached) {
      const url = `${API}/users/${u.login}`;
      cached = {
        login: u.login,
        id: u.id,
        node_id: nodeId(u.kind === "Bot" ? "Bot" : "User", u.id),
        avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
        gravatar_id: "",
        url,
        html_url: u.kind === "Bot" ? `${WEB}/apps/${u.displayLogin}` : `${WEB}/${u.login}`,
        followers_url: `${url}/followers`,
        following_url: `${url}/following{/other_user}`,
        gists_url: `${url}/gists{/gist_id}`,
        starred_url: `${url}/starred{/owner}{/repo}`,
        subscriptions_url: `${url}/subscriptions`,
        organizations_url: `${url}/orgs`,
        repos_url: `${url}/repos`,
        events_url: `${url}/events{/privacy}`,
        received_events_url: `${url}/received_events`,
        type: u.kind,
        user_view_type: "public",
        site_admin: false,
      };
      this.users.set(u.login, cached);
    }
    return cached;
  }

  private state(repo: WorldRepo): RepoState {
    let s = this.repoState.get(repo.fullName);
    if (!s) {
      s = { number: this.prng.int(0, 40), release: this.prng.int(0, 5), head: this.prng.hex(40) };
      this.repoState.set(repo.fullName, s);
    }
    return s;
  }

  private humansCache: WorldUser[] | null = null;
  private humans(): WorldUser[] {
    return (this.humansCache ??= this.world.users.filter((u) => u.kind === "User"));
  }

  private otherUser(actor: WorldUser): WorldUser {
    const others = this.humans().filter((u) => u.login !== actor.login);
    return this.prng.pick(others);
  }

  private body(): string | null {
    return this.prng.pick(BODIES);
  }

  private reactions(url: string): JsonObject {
    const plus = this.prng.chance(0.3) ? this.prng.int(1, 9) : 0;
    const heart = this.prng.chance(0.1) ? 1 : 0;
    return {
      url: `${url}/reactions`,
      total_count: plus + heart,
      "+1": plus,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart,
      rocket: 0,
      eyes: 0,
    };
  }

  private label(repo: WorldRepo, index: number): JsonObject {
    const [name, color, description, isDefault] = LABELS[index % LABELS.length] ?? LABELS[0]!;
    const id = repo.id * 10 + (index % LABELS.length);
    return {
      id,
      node_id: nodeId("Label", id),
      url: `${API}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
      name,
      color,
      default: isDefault,
      description,
    };
  }

  private push(repo: WorldRepo): JsonObject {
    const s = this.state(repo);
    const onDefault = this.prng.chance(0.7);
    const before = onDefault ? s.head : this.prng.hex(40);
    const head = this.prng.hex(40);
    if (onDefault) s.head = head;
    this.ids.push += this.prng.int(1, 5000);
    return {
      repository_id: repo.id,
      push_id: this.ids.push,
      ref: `refs/heads/${onDefault ? repo.defaultBranch : this.prng.pick(BRANCHES)}`,
      head,
      before,
    };
  }

  private create(repo: WorldRepo): JsonObject {
    const refType = this.prng.weighted([
      ["branch", 6],
      ["tag", 3],
      ["repository", 1],
    ] as const);
    const s = this.state(repo);
    const ref = refType === "branch" ? this.prng.pick(BRANCHES) : refType === "tag" ? `v0.${s.release + 1}.0` : repo.defaultBranch;
    return {
      ref,
      ref_type: refType,
      full_ref: refType === "tag" ? `refs/tags/${ref}` : `refs/heads/${ref}`,
      master_branch: repo.defaultBranch,
      description: repo.description,
      pusher_type: "user",
    };
  }

  private delete(repo: WorldRepo): JsonObject {
    const isTag = this.prng.chance(0.2);
    const ref = isTag ? `v0.${this.prng.int(1, 9)}.0-rc.1` : this.prng.pick(BRANCHES);
    return { ref, ref_type: isTag ? "tag" : "branch", full_ref: isTag ? `refs/tags/${ref}` : `refs/heads/${ref}`, pusher_type: "user" };
  }

  private forkee(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const existing = this.world.repos.find((r) => r.parent === repo.fullName && r.owner === actor.login);
    const id = existing?.id ?? (this.ids.repo += this.prng.int(1, 999));
    const full = `${actor.login}/${repo.name}`;
    const url = `${API}/repos/${full}`;
    const created = isoSeconds(time);
    return {
      id,
      node_id: nodeId("Repository", id),
      name: repo.name,
      full_name: full,
      private: false,
      owner: this.simpleUser(actor),
      html_url: `${WEB}/${full}`,
      description: repo.description,
      fork: true,
      url,
      forks_url: `${url}/forks`,
      keys_url: `${url}/keys{/key_id}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      teams_url: `${url}/teams`,
      hooks_url: `${url}/hooks`,
      issue_events_url: `${url}/issues/events{/number}`,
      events_url: `${url}/events`,
      assignees_url: `${url}/assignees{/user}`,
      branches_url: `${url}/branches{/branch}`,
      tags_url: `${url}/tags`,
      blobs_url: `${url}/git/blobs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      trees_url: `${url}/git/trees{/sha}`,
      statuses_url: `${url}/statuses/{sha}`,
      languages_url: `${url}/languages`,
      stargazers_url: `${url}/stargazers`,
      contributors_url: `${url}/contributors`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      commits_url: `${url}/commits{/sha}`,
      git_commits_url: `${url}/git/commits{/sha}`,
      comments_url: `${url}/comments{/number}`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      contents_url: `${url}/contents/{+path}`,
      compare_url: `${url}/compare/{base}...{head}`,
      merges_url: `${url}/merges`,
      archive_url: `${url}/{archive_format}{/ref}`,
      downloads_url: `${url}/downloads`,
      issues_url: `${url}/issues{/number}`,
      pulls_url: `${url}/pulls{/number}`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      labels_url: `${url}/labels{/name}`,
      releases_url: `${url}/releases{/id}`,
      deployments_url: `${url}/deployments`,
      created_at: created,
      updated_at: created,
      pushed_at: created,
      git_url: `git://github.com/${full}.git`,
      ssh_url: `git@github.com:${full}.git`,
      clone_url: `${WEB}/${full}.git`,
      svn_url: `${WEB}/${full}`,
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: false,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      open_issues_count: 0,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: "public",
      forks: 0,
      open_issues: 0,
      watchers: 0,
      default_branch: repo.defaultBranch,
      public: true,
    };
  }

  /** An existing issue/PR number, or a fresh one when `open` (or when the repo has none yet). */
  private number(repo: WorldRepo, open: boolean): number {
    const s = this.state(repo);
    if (open || s.number === 0) return ++s.number;
    return this.prng.int(1, s.number);
  }

  private issue(repo: WorldRepo, number: number, author: WorldUser, time: number, state: "open" | "closed"): JsonObject {
    // Stable per (repo, number) so the same issue keeps its id across events.
    const id = this.ids.issue + (repo.id % 100_000) * 10_000 + number;
    const url = `${API}/repos/${repo.fullName}/issues/${number}`;
    const created = time - this.prng.int(0, 86_400 * 20);
    const labels: Json[] = this.prng.chance(0.4) ? [this.label(repo, this.prng.int(0, LABELS.length - 1))] : [];
    return {
      url,
      repository_url: `${API}/repos/${repo.fullName}`,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${WEB}/${repo.fullName}/issues/${number}`,
      id,
      node_id: nodeId("Issue", id),
      number,
      title: this.prng.pick(ISSUE_TITLES),
      user: this.simpleUser(author),
      labels,
      state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: this.prng.int(0, 12),
      created_at: isoSeconds(created),
      updated_at: isoSeconds(time),
      closed_at: state === "closed" ? isoSeconds(time) : null,
      active_lock_reason: null,
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      body: this.body(),
      reactions: this.reactions(url),
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      state_reason: state === "closed" ? "completed" : null,
      type: null,
    };
  }

  private issues(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const action = this.prng.weighted([
      ["opened", 5],
      ["closed", 3],
      ["reopened", 1],
      ["labeled", 1],
      ["assigned", 1],
    ] as const);
    const number = this.number(repo, action === "opened");
    const author = action === "opened" ? actor : this.prng.pick(this.humans());
    const payload: JsonObject = { action, issue: this.issue(repo, number, author, time, action === "closed" ? "closed" : "open") };
    return this.labelOrAssignee(payload, repo, action);
  }

  /** The `label` / `assignee(s)` keys that IssuesEvent and PullRequestEvent carry for those actions. */
  private labelOrAssignee(payload: JsonObject, repo: WorldRepo, action: string): JsonObject {
    if (action === "labeled") payload["label"] = this.label(repo, this.prng.int(0, LABELS.length - 1));
    if (action === "assigned") {
      const assignee = this.simpleUser(this.prng.pick(this.humans()));
      payload["assignee"] = assignee;
      payload["assignees"] = [assignee];
    }
    return payload;
  }

  private issueComment(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const number = this.number(repo, false);
    const issue = this.issue(repo, number, this.prng.pick(this.humans()), time, "open");
    const id = (this.ids.comment += this.prng.int(1, 3000));
    const url = `${API}/repos/${repo.fullName}/issues/comments/${id}`;
    const stamp = isoSeconds(time);
    return {
      action: "created",
      issue,
      comment: {
        url,
        html_url: `${WEB}/${repo.fullName}/issues/${number}#issuecomment-${id}`,
        issue_url: `${API}/repos/${repo.fullName}/issues/${number}`,
        id,
        node_id: nodeId("IssueComment", id),
        user: this.simpleUser(actor),
        created_at: stamp,
        updated_at: stamp,
        body: this.prng.pick(BODIES) ?? "👍",
        reactions: this.reactions(url),
        performed_via_github_app: null,
      },
    };
  }

  private prMinimal(repo: WorldRepo, number: number): JsonObject {
    const id = this.ids.pr + (repo.id % 100_000) * 10_000 + number;
    const repoRef = { id: repo.id, url: `${API}/repos/${repo.fullName}`, name: repo.name };
    return {
      id,
      number,
      url: `${API}/repos/${repo.fullName}/pulls/${number}`,
      head: { ref: this.prng.pick(BRANCHES), sha: this.prng.hex(40), repo: repoRef },
      base: { ref: repo.defaultBranch, sha: this.state(repo).head, repo: { ...repoRef } },
    };
  }

  private pullRequest(repo: WorldRepo): JsonObject {
    // After the trim `merged` is its own action and `closed` means closed unmerged [3rd-party].
    const action = this.prng.weighted([
      ["opened", 5],
      ["closed", 1],
      ["merged", 3],
      ["reopened", 1],
      ["synchronize", 2],
      ["labeled", 1],
      ["assigned", 1],
      ["review_requested", 1],
    ] as const);
    const number = this.number(repo, action === "opened");
    const payload: JsonObject = { action, number, pull_request: this.prMinimal(repo, number) };
    return this.labelOrAssignee(payload, repo, action);
  }

  private review(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const number = this.number(repo, false);
    const pr = this.prMinimal(repo, number);
    const id = (this.ids.review += this.prng.int(1, 4000));
    const state = this.prng.weighted([
      ["approved", 4],
      ["commented", 3],
      ["changes_requested", 1],
    ] as const);
    const prUrl = `${API}/repos/${repo.fullName}/pulls/${number}`;
    const html = `${WEB}/${repo.fullName}/pull/${number}#pullrequestreview-${id}`;
    const stamp = isoSeconds(time);
    return {
      action: "created",
      review: {
        id,
        node_id: nodeId("PullRequestReview", id),
        user: this.simpleUser(actor),
        body: state === "approved" ? null : this.body(),
        commit_id: this.prng.hex(40),
        submitted_at: stamp,
        state,
        html_url: html,
        pull_request_url: prUrl,
        _links: { html: { href: html }, pull_request: { href: prUrl } },
        updated_at: stamp,
      },
      pull_request: pr,
    };
  }

  private reviewComment(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const number = this.number(repo, false);
    const pr = this.prMinimal(repo, number);
    const id = (this.ids.reviewComment += this.prng.int(1, 4000));
    const url = `${API}/repos/${repo.fullName}/pulls/comments/${id}`;
    const prUrl = `${API}/repos/${repo.fullName}/pulls/${number}`;
    const html = `${WEB}/${repo.fullName}/pull/${number}#discussion_r${id}`;
    const sha = this.prng.hex(40);
    const line = this.prng.int(1, 400);
    const stamp = isoSeconds(time);
    return {
      action: "created",
      comment: {
        url,
        pull_request_review_id: (this.ids.review += this.prng.int(1, 4000)),
        id,
        node_id: nodeId("PullRequestReviewComment", id),
        diff_hunk: `@@ -${line},6 +${line},7 @@ export function parse(input: string) {\n   const x = \"quoted\";\n+  return x;`,
        path: this.prng.pick(PATHS),
        commit_id: sha,
        original_commit_id: sha,
        user: this.simpleUser(actor),
        body: this.prng.pick(BODIES) ?? "nit: rename this",
        created_at: stamp,
        updated_at: stamp,
        html_url: html,
        pull_request_url: prUrl,
        _links: { self: { href: url }, html: { href: html }, pull_request: { href: prUrl } },
        reactions: this.reactions(url),
        start_line: null,
        original_start_line: null,
        start_side: null,
        line,
        original_line: line,
        side: "RIGHT",
        original_position: 4,
        position: 4,
        subject_type: "line",
      },
      pull_request: pr,
    };
  }

  private commitComment(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const id = (this.ids.comment += this.prng.int(1, 3000));
    const sha = this.state(repo).head;
    const url = `${API}/repos/${repo.fullName}/comments/${id}`;
    const onLine = this.prng.chance(0.5);
    const stamp = isoSeconds(time);
    return {
      action: "created",
      comment: {
        url,
        html_url: `${WEB}/${repo.fullName}/commit/${sha}#commitcomment-${id}`,
        id,
        node_id: nodeId("CommitComment", id),
        user: this.simpleUser(actor),
        position: onLine ? 3 : null,
        line: onLine ? this.prng.int(1, 200) : null,
        path: onLine ? this.prng.pick(PATHS) : null,
        commit_id: sha,
        created_at: stamp,
        updated_at: stamp,
        body: this.prng.pick(BODIES) ?? "Nice one.",
        reactions: this.reactions(url),
      },
    };
  }

  private release(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const s = this.state(repo);
    s.release += 1;
    const tag = `v0.${s.release}.0`;
    const id = (this.ids.release += this.prng.int(1, 5000));
    const url = `${API}/repos/${repo.fullName}/releases/${id}`;
    const body = this.prng.chance(0.3) ? null : `## What's changed\r\n* Fix "quoted" paths by @${actor.login}\r\n* ünïcödé ✨`;
    const stamp = isoSeconds(time);
    return {
      action: "published",
      release: {
        url,
        assets_url: `${url}/assets`,
        upload_url: `https://uploads.github.com/repos/${repo.fullName}/releases/${id}/assets{?name,label}`,
        html_url: `${WEB}/${repo.fullName}/releases/tag/${tag}`,
        id,
        author: this.simpleUser(actor),
        node_id: nodeId("Release", id),
        tag_name: tag,
        target_commitish: repo.defaultBranch,
        name: this.prng.chance(0.2) ? null : `${tag} — “${repo.name}”`,
        draft: false,
        immutable: false,
        prerelease: this.prng.chance(0.15),
        created_at: isoSeconds(time - this.prng.int(60, 7200)),
        updated_at: stamp,
        published_at: stamp,
        assets: [],
        tarball_url: `${API}/repos/${repo.fullName}/tarball/${tag}`,
        zipball_url: `${API}/repos/${repo.fullName}/zipball/${tag}`,
        body,
        is_short_description_html_truncated: false,
        short_description_html: body === null ? "" : "<h2>What's changed</h2>",
      },
    };
  }

  private gollum(repo: WorldRepo): JsonObject {
    const n = this.prng.int(1, 2);
    const pages: Json[] = [];
    for (let i = 0; i < n; i++) {
      const page = this.prng.pick(WIKI_PAGES);
      pages.push({
        page_name: page,
        title: page.replace(/-/g, " "),
        summary: null,
        action: this.prng.chance(0.3) ? "created" : "edited",
        sha: this.prng.hex(40),
        html_url: `${WEB}/${repo.fullName}/wiki/${encodeURIComponent(page)}`,
      });
    }
    return { pages };
  }

  private discussion(repo: WorldRepo, actor: WorldUser, time: number): JsonObject {
    const number = this.number(repo, true);
    const id = (this.ids.discussion += this.prng.int(1, 999));
    const stamp = isoSeconds(time);
    const html = `${WEB}/${repo.fullName}/discussions/${number}`;
    return {
      action: "created",
      discussion: {
        repository_url: `${API}/repos/${repo.fullName}`,
        category: {
          id: 30_000_000 + (repo.id % 100_000),
          node_id: nodeId("DiscussionCategory", repo.id),
          repository_id: repo.id,
          emoji: ":speech_balloon:",
          name: "General",
          description: "Chat about anything and everything here",
          created_at: "2024-01-15T10:00:00Z",
          updated_at: "2024-01-15T10:00:00Z",
          slug: "general",
          is_answerable: false,
        },
        answer_html_url: null,
        answer_chosen_at: null,
        answer_chosen_by: null,
        html_url: html,
        id,
        node_id: nodeId("Discussion", id),
        number,
        title: this.prng.pick(ISSUE_TITLES),
        user: this.simpleUser(actor),
        labels: [],
        state: "open",
        state_reason: null,
        locked: false,
        comments: 0,
        created_at: stamp,
        updated_at: stamp,
        active_lock_reason: null,
        body: this.prng.pick(BODIES) ?? "",
        reactions: this.reactions(`${API}/repos/${repo.fullName}/discussions/${number}`),
        timeline_url: `${API}/repos/${repo.fullName}/discussions/${number}/timeline`,
      },
    };
  }
}
