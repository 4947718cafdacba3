// Electron entry point (bundled to dist/main/main.js by scripts/build.mjs).
import { app } from 'electron';
import { startDesktopApp } from './desktop';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  startDesktopApp(process.argv).catch((error: unknown) => {
    console.error(error);
    app.exit(1);
  });
}
