import type { DirectoryRecord } from '@electron/asar';

export interface PackagedFile {
  path: string;
  unpacked: boolean;
}

export function filesOf(directory: DirectoryRecord, prefix?: string): PackagedFile[];

export function packageProblems(app: {
  files: PackagedFile[];
  read: (file: string) => string;
  unpackedOnDisk: (file: string) => boolean;
  manifest: { main: string; dependencies: Record<string, string> };
  lock: { packages: Record<string, { name?: string; version?: string; dev?: boolean }> };
}): string[];
