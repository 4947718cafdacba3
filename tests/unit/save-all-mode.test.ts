import { describe, expect, it } from 'vitest';
import { chooseSaveAll } from '../../main/files/save-all-mode';

describe('chooseSaveAll', () => {
  it.each(['zip', 'folder'] as const)('saves the one attachment of a message as it is, even when %s is preferred', (preferred) => {
    expect(chooseSaveAll(1, preferred)).toBe('single');
  });

  it.each([
    [2, 'zip', 'zip'],
    [2, 'folder', 'folder'],
    [30, 'zip', 'zip'],
    [30, 'folder', 'folder'],
  ] as const)('saves %d attachments the preferred way (%s)', (count, preferred, mode) => {
    expect(chooseSaveAll(count, preferred)).toBe(mode);
  });

  it('leaves a message without attachments to the preferred way, which reports there is nothing to save', () => {
    expect(chooseSaveAll(0, 'zip')).toBe('zip');
  });
});
