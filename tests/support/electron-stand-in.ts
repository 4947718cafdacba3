// A stand-in for the `electron` module, so the desktop shell's wiring is tested under plain
// Node where no Electron binary exists. It records what the shell asks of Electron; it does
// not pretend to render anything. Used only by the unit test project (see vitest.config.ts).
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const recorded = {
  handlers: new Map<string, Handler>(),
  windows: [] as BrowserWindow[],
  openDialogs: [] as Array<{ owner: unknown; options: unknown }>,
  saveDialogs: [] as Array<{ owner: unknown; options: unknown }>,
  /** What the next Save dialog answers (undefined: cancelled). */
  savePath: undefined as string | undefined,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  exitCode: undefined as number | undefined,
  badge: undefined as number | undefined,
  notifications: [] as Notification[],
  /** The template of the menu last given to Menu.setApplicationMenu. */
  applicationMenu: undefined as MenuTemplate | undefined,
  /** Folders given to shell.openPath, and what it answers ('' is success, else an error message). */
  openedPaths: [] as string[],
  openPathAnswer: '',
  userData: '/nonexistent/postdesk-stand-in',
  argv: [] as string[],
  /** The work areas of the screens there are (screen.getAllDisplays). */
  workAreas: [{ x: 0, y: 0, width: 1920, height: 1040 }] as Array<{ x: number; y: number; width: number; height: number }>,
  /** How often app.quit was called, and app.relaunch's options each time. */
  quits: 0,
  relaunches: [] as unknown[],
  /** What dialog.showMessageBox was asked, and the index of the button it answers (0 unless a test says). */
  messageBoxes: [] as Array<{ owner: unknown; options: MessageBoxOptions }>,
  messageBoxResponse: 0,
  reset() {
    this.workAreas = [{ x: 0, y: 0, width: 1920, height: 1040 }];
    this.quits = 0;
    this.relaunches.length = 0;
    this.messageBoxes.length = 0;
    this.messageBoxResponse = 0;
    this.handlers.clear();
    this.windows.length = 0;
    this.openDialogs.length = 0;
    this.saveDialogs.length = 0;
    this.savePath = undefined;
    this.errorBoxes.length = 0;
    this.schemes.length = 0;
    this.protocolHandlers.clear();
    this.exitCode = undefined;
    this.badge = undefined;
    this.notifications.length = 0;
    this.applicationMenu = undefined;
    this.openedPaths.length = 0;
    this.openPathAnswer = '';
    app.removeAllListeners();
  },
};

class StandInApp extends EventEmitter {
  isPackaged = false;
  whenReady = async () => {};
  getPath = (name: string) => (name === 'userData' ? recorded.userData : `/tmp/${name}`);
  getLocale = () => 'ru-RU';
  getVersion = () => '0.0.0-stand-in';
  getName = () => 'Postdesk';
  getAppPath = () => '/nonexistent/postdesk-stand-in-app';
  requestSingleInstanceLock = () => true;
  /** Like Electron's: 'before-quit' first, and a listener that prevents it stops the quit. */
  quit = () => {
    recorded.quits++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('will-quit');
  };
  relaunch = (options?: unknown) => {
    recorded.relaunches.push(options);
  };
  setBadgeCount = (count: number) => {
    recorded.badge = count;
    return true;
  };
  exit = (code: number) => {
    recorded.exitCode = code;
  };
}
export const app = new StandInApp();

export const ipcMain = {
  handle(channel: string, handler: Handler) {
    if (recorded.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    recorded.handlers.set(channel, handler);
  },
};

export const dialog = {
  async showOpenDialog(ownerOrOptions: unknown, maybeOptions?: unknown) {
    const [owner, options] = maybeOptions === undefined ? [undefined, ownerOrOptions] : [ownerOrOptions, maybeOptions];
    recorded.openDialogs.push({ owner, options });
    return { canceled: false, filePaths: ['/tmp/chosen.pdf'] };
  },
  async showSaveDialog(ownerOrOptions: unknown, maybeOptions?: unknown) {
    const [owner, options] = maybeOptions === undefined ? [undefined, ownerOrOptions] : [ownerOrOptions, maybeOptions];
    recorded.saveDialogs.push({ owner, options });
    return recorded.savePath ? { canceled: false, filePath: recorded.savePath } : { canceled: true, filePath: '' };
  },
  showErrorBox(title: string, content: string) {
    recorded.errorBoxes.push({ title, content });
  },
  async showMessageBox(ownerOrOptions: unknown, maybeOptions?: MessageBoxOptions) {
    const [owner, options] = maybeOptions === undefined ? [undefined, ownerOrOptions as MessageBoxOptions] : [ownerOrOptions, maybeOptions];
    recorded.messageBoxes.push({ owner, options });
    return { response: recorded.messageBoxResponse, checkboxChecked: false };
  },
};

export const screen = {
  getAllDisplays: () => recorded.workAreas.map((workArea, id) => ({ id, workArea, bounds: workArea })),
};

/** An image is the bitmap it was made from. */
export const nativeImage = {
  createFromBitmap: (buffer: Buffer, size: { width: number; height: number }) => ({ bitmap: buffer, size }),
};

export interface MessageBoxOptions {
  type?: string;
  title?: string;
  message: string;
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
}

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    recorded.schemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
    recorded.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  /** electron-updater downloads through a session of its own: here plain Node does the requests (net below). */
  fromPartition: () => ({}),
  defaultSession: {
    permissionRequestHandler: undefined as unknown,
    permissionCheckHandler: undefined as unknown,
    setPermissionRequestHandler(handler: unknown) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: unknown) {
      this.permissionCheckHandler = handler;
    },
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string) {
    shell.opened.push(url);
  },
  async openPath(folder: string) {
    recorded.openedPaths.push(folder);
    return recorded.openPathAnswer;
  },
};

/** A menu is its template here: tests find items by label and call their click. */
export interface MenuTemplateItem {
  label?: string;
  role?: string;
  type?: string;
  submenu?: MenuTemplate;
  click?: () => void;
}
export type MenuTemplate = MenuTemplateItem[];

export const Menu = {
  buildFromTemplate: (template: MenuTemplate) => ({ template }),
  setApplicationMenu(menu: { template: MenuTemplate } | null) {
    recorded.applicationMenu = menu?.template;
  },
};

let nextRoutingId = 1;

export class WebContents extends EventEmitter {
  readonly mainFrame = { processId: 7, routingId: nextRoutingId++, url: 'postdesk://app/index.html' };
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  loadedUrl = '';
  isDestroyed = () => false;
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new WebContents();
  constructor(readonly options: { webPreferences?: Record<string, unknown>; x?: number; y?: number; width?: number; height?: number } & Record<string, unknown>) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 0, height: options.height ?? 0 };
    recorded.windows.push(this);
  }
  isDestroyed = () => false;
  /** Whether the operator is looking at it: then new mail raises no notification. */
  focused = false;
  isFocused = () => this.focused;
  minimized = false;
  isMinimized = () => this.minimized;
  restore = () => {
    this.minimized = false;
  };
  focus = () => {
    this.focused = true;
  };
  shown = false;
  show = () => {
    this.shown = true;
  };
  /** Where the window is (not maximized); moving or resizing it is a test's setBounds plus the event. */
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  maximized = false;
  overlay: { image: unknown; description: string } | undefined;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  maximize = () => {
    this.maximized = true;
  };
  setOverlayIcon = (image: unknown, description: string) => {
    this.overlay = image === null ? undefined : { image, description };
  };
  async loadURL(url: string) {
    this.webContents.loadedUrl = url;
  }
}

/** A desktop notification: shown ones are recorded; a test clicks one with emit('click'). */
export class Notification extends EventEmitter {
  static isSupported = () => true;
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show() {
    recorded.notifications.push(this);
  }
}

export const contextBridge = { exposeInMainWorld() {} };
export const ipcRenderer = { invoke: async () => undefined, on() {}, removeListener() {} };

/**
 * Electron's net.request, as plain Node's http(s).request: what electron-updater fetches (the
 * feed, the installer) goes to the test's real server. Electron's own options (session, redirect)
 * are dropped; Node answers a redirect as a response, which electron-updater follows too.
 */
export const net = {
  request(options: http.RequestOptions & { session?: unknown; redirect?: string }) {
    const { session: _session, redirect: _redirect, ...node } = options;
    return (node.protocol === 'https:' ? https : http).request(node);
  },
};

/** Electron's own autoUpdater: electron-updater only emits on it before it quits to install. */
export const autoUpdater = new EventEmitter();
