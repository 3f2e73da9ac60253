// `tsfdw release [--tag TAG] [--out DIR] [--repo OWNER/NAME]`: what the release workflows run.
// Finds the FDWs (fdw/*/fdw.json in a repository of several, else ./fdw.json) and builds each with
// its release files (the .wasm, checksum.txt, README.txt with the ready SQL) into DIR/<fdw-dir>/.
// With --tag, only the FDW that tag releases: fdw.json's release.tag (`v{version}` for an FDW alone
// in its repository, `<fdw-dir>-v{version}` under fdw/), so a tag whose version is not the one in
// fdw.json fails. In GitHub Actions (GITHUB_OUTPUT set) it writes the outputs name, dir, files and
// notes for the release step, and the release URL is that of the release being made.
import { appendFileSync, existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { build, parseBuildArgs } from "../build/index.js";
import { type FdwProject, resolveProject } from "../build/resolve.js";
import { UsageError, guarded, parse, wantsHelp } from "./args.js";

export const USAGE = `usage: tsfdw release [--tag TAG] [--out DIR] [--repo OWNER/NAME]

Builds FDWs for a release, each into DIR/<fdw-dir>/ (default dist/release): the .wasm, checksum.txt
and README.txt (the SQL with the checksum). The FDWs: fdw/*/ (several in one repository), else the
FDW in the current directory.

  --tag TAG          build only the FDW this tag releases (vX.Y.Z for an FDW alone in its
                     repository, <fdw-dir>-vX.Y.Z under fdw/); fails if it is not fdw.json's version
  --out DIR          output directory (default dist/release)
  --repo OWNER/NAME  repository of the release URL (default $GITHUB_REPOSITORY, else fdw.json's)
`;

/** Every FDW of the repository in the current directory. */
export function findFdws(root = process.cwd()): FdwProject[] {
  const fdwDir = join(root, "fdw");
  if (existsSync(fdwDir)) {
    const dirs = readdirSync(fdwDir).sort().filter((d) => existsSync(join(fdwDir, d, "fdw.json")));
    if (dirs.length > 0) return dirs.map((d) => resolveProject(join(fdwDir, d)));
  }
  if (existsSync(join(root, "fdw.json"))) return [resolveProject(root)];
  throw new Error(`no FDW here: neither fdw/*/fdw.json nor fdw.json in ${root}`);
}

export async function run(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(USAGE);
    return 0;
  }
  return guarded("release", async () => {
    const { values } = parse(argv, { tag: { type: "string" }, out: { type: "string" }, repo: { type: "string" } }, USAGE, 0);
    const all = findFdws();
    let chosen = all;
    if (values.tag !== undefined) {
      chosen = all.filter((p) => p.tag === values.tag);
      if (chosen.length === 0) {
        throw new UsageError(`no FDW is released by tag ${values.tag}; the tags of the current versions are: ${all.map((p) => `${p.tag} (${relative(process.cwd(), p.dir) || "."})`).join(", ")}`, USAGE);
      }
    }
    const outRoot = values.out ?? join("dist", "release");
    const repository = values.repo ?? process.env["GITHUB_REPOSITORY"];
    const results: { project: FdwProject; dir: string; files: string[] }[] = [];
    for (const project of chosen) {
      // FDWs under fdw/ get a directory each; a project's one FDW writes to DIR itself.
      const dir = join(outRoot, basename(dirname(project.dir)) === "fdw" ? basename(project.dir) : "");
      const args = [project.dir, "--out", dir, "--release-files", ...(repository !== undefined ? ["--repo", repository] : [])];
      // In Actions the asset URL is known: that of the release this run creates.
      if (process.env["GITHUB_ACTIONS"] === "true" && repository !== undefined) args.push("--url", `https://github.com/${repository}/releases/download/${project.tag}/${project.output}`);
      const r = await build(parseBuildArgs(args), (m) => process.stderr.write(`tsfdw release: ${m}\n`));
      const files = [r.output.wasmPath, ...r.output.releaseFiles];
      if (!r.output.url.includes(`/${project.tag}/`) && r.output.url.includes("/releases/download/")) {
        process.stderr.write(`tsfdw release: warning: ${project.dir}/fdw.json's release.url gives ${r.output.url}, not the release of tag ${project.tag}; use {tag} in it (in GitHub Actions the release's own URL is used)\n`);
      }
      results.push({ project, dir, files });
      process.stdout.write(`${project.name} ${project.version} (tag ${project.tag}): ${files.map((f) => relative(process.cwd(), f)).join(", ")}\n  sha256 ${r.output.sha256}\n  url    ${r.output.url}\n`);
    }
    const out = process.env["GITHUB_OUTPUT"];
    if (out !== undefined && results.length === 1) {
      const [one] = results as [(typeof results)[0]];
      appendFileSync(out, `name=${one.project.name}\ndir=${one.dir}\nfiles=${one.files.map((f) => relative(process.cwd(), f)).join(" ")}\nnotes=${relative(process.cwd(), join(one.dir, "README.txt"))}\n`);
    }
    return 0;
  });
}
