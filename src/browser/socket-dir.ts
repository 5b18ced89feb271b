// Chromium's process-singleton socket lives in a temporary folder of its own
// (TMPDIR/org.chromium.Chromium.XXXXXX), which a browser that is killed leaves behind. The profile
// links to it, but only a while after start: a browser closed early (a quick render) has the
// folder and no link yet. Then the socket the browser process listens on names the folder.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const SOCKET_DIR = /^org\.chromium\.Chromium\.\w+$/;

/**
 * singletonSocketDir returns the folder of the singleton socket of the browser with this profile
 * and process id: from the profile's SingletonSocket link, else (Linux, while the process lives)
 * from the listening socket it holds. Undefined when neither tells.
 */
export function singletonSocketDir(profile: string, pid: number | undefined): string | undefined {
  return linkedSocketDir(profile) ?? (pid === undefined ? undefined : listeningSocketDir(pid));
}

function linkedSocketDir(profile: string): string | undefined {
  try {
    return asSocketDir(readlinkSync(join(profile, 'SingletonSocket')));
  } catch {
    return undefined;
  }
}

function asSocketDir(socketPath: string): string | undefined {
  const dir = dirname(socketPath);
  return basename(socketPath) === 'SingletonSocket' && SOCKET_DIR.test(basename(dir)) ? dir : undefined;
}

// The inodes of the sockets the process holds (/proc/PID/fd links read "socket:[INODE]"), looked
// up in the table of Unix sockets (/proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path").
function listeningSocketDir(pid: number): string | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match !== null) inodes.add(match[1] as string);
    } catch {
      // closed meanwhile
    }
  }
  if (inodes.size === 0) return undefined;
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'latin1');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n')) {
    const columns = line.trim().split(/\s+/);
    const path = columns[7];
    if (path === undefined || !inodes.has(columns[6] as string)) continue;
    const dir = asSocketDir(path);
    if (dir !== undefined) return dir;
  }
  return undefined;
}
