import net from 'node:net';

/**
 * Asks the kernel for an unused TCP port on the loopback interface.
 * There is a small window between closing here and the real server binding,
 * which is acceptable for tests: the kernel rarely hands the same port out again
 * that quickly.
 */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * Several unused ports, all different: each is held until all are found. Asked one after the
 * other, the kernel once handed the same port out twice in a row (a Dovecot with IMAP and LMTP
 * on one port: "duplicate listener").
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      server.unref();
      servers.push(server);
      ports.push(await listening(server));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function listening(server: net.Server): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('freePort: listening socket has no TCP address'));
      else resolve(address.port);
    });
  });
}
