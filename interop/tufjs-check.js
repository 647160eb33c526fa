// tuf-js's Updater on a repository folder, for scripts/interop.sh.
//
//   node tufjs-check.js MODULES REPO WORK TARGET [DELEGATED...]
//
// MODULES is a folder where `npm install tuf-js@VERSION` ran. An Updater trusting
// REPO/1.root.json refreshes (root chain, timestamp, snapshot, targets: TUF 1.0 §5) through a
// fetcher that reads REPO's files (no network), then looks TARGET up, which walks the
// delegations; each DELEGATED role must then be trusted. Prints one JSON line,
// {"ok":true,"root":N,...} or {"ok":false,"why":"..."} with tuf-js's error text.
'use strict';
const fs = require('fs');
const path = require('path');
const [modules, repo, work, target, ...delegated] = process.argv.slice(2);
const tufjs = require(path.join(modules, 'node_modules', 'tuf-js'));
const { DownloadHTTPError } = require(path.join(modules, 'node_modules', 'tuf-js', 'dist', 'error'));

// Serves http://repo.test/metadata/NAME from REPO; a missing file is a 404, which ends the
// root chain as a web server's would.
class FolderFetcher {
  async downloadBytes(url, maxLength) {
    const file = path.join(repo, url.split('/').pop());
    if (!fs.existsSync(file)) throw new DownloadHTTPError(`${path.basename(file)} not found`, 404);
    const data = fs.readFileSync(file);
    if (data.length > maxLength) throw new Error(`${path.basename(file)} is longer than ${maxLength}`);
    return data;
  }
  async downloadFile(url, maxLength, handler) {
    const data = await this.downloadBytes(url, maxLength);
    const tmp = path.join(work, 'download.tmp');
    fs.writeFileSync(tmp, data);
    try { return await handler(tmp); } finally { fs.rmSync(tmp, { force: true }); }
  }
}

(async () => {
  const metadataDir = path.join(work, 'metadata');
  fs.mkdirSync(metadataDir, { recursive: true });
  fs.copyFileSync(path.join(repo, '1.root.json'), path.join(metadataDir, 'root.json'));
  const updater = new tufjs.Updater({
    metadataDir,
    metadataBaseUrl: 'http://repo.test/metadata/',
    targetDir: path.join(work, 'targets'),
    targetBaseUrl: 'http://repo.test/targets/',
    fetcher: new FolderFetcher(),
  });
  await updater.refresh();
  const info = await updater.getTargetInfo(target);
  const set = updater.trustedSet;
  for (const role of delegated) {
    if (!set.getRole(role)) throw new Error(`${role} was not loaded while looking ${target} up`);
  }
  return {
    ok: true,
    root: set.root.signed.version,
    targets: set.targets.signed.version,
    delegated,
    target: info ? 'found' : 'not listed',
  };
})().then(
  (r) => console.log(JSON.stringify(r)),
  (e) => console.log(JSON.stringify({ ok: false, why: `${e.constructor.name}: ${e.message}` })),
);
