// One folder, one connection: Check connection pressed while the connection is still being made
// (the desktop smoke test did it at start) must not open a second one beside it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { loadConfig } from '../../main/config/load';
import { createImapClient } from '../../main/mail/imap-client';
import { MailboxConnection } from '../../main/mail/mailbox-connection';
import { channelFor, MAILBOX_USERS, writeConfig } from '../support/config-file';
import { startDovecot, type Dovecot } from '../support/dovecot';
import { tempDir } from '../support/temp-dir';

describe('a mailbox connection against a private Dovecot', () => {
  const tmp = tempDir('postdesk-connection-');
  let dovecot: Dovecot;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: MAILBOX_USERS });
  });

  afterAll(async () => {
    await dovecot?.stop();
    tmp.cleanup();
  });

  it('reconnects now only when no connection is open or being made, and stop leaves none open', async () => {
    const smtp = { host: '127.0.0.1', port: 1 };
    const [channel] = loadConfig(writeConfig(tmp.dir, { channels: [channelFor({ dovecot, smtp })] })).config.channels;
    const clients: ImapFlow[] = [];
    const opened: ImapFlow[] = [];
    const connection = new MailboxConnection(channel!, {
      mailbox: 'INBOX',
      setState: () => {},
      createClient: (c) => {
        const client = createImapClient(c);
        clients.push(client);
        return client;
      },
      onOpen: (client) => opened.push(client),
      onChange: () => {},
    });

    connection.start();
    connection.reconnectNow();
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    connection.reconnectNow();
    // Time for a second connection to log in and open the folder, had one been started.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(clients).toHaveLength(1);
    expect(opened).toHaveLength(1);

    await connection.stop();
    expect(clients.map((c) => c.usable)).toEqual([false]);
  });
});
