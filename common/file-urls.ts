// The browser host's same-origin routes for attachment bytes (see main/web/file-routes.ts).
// Each names an opaque id; none takes a path.
export const fileUrls = {
  inline: (attachmentId: number) => `/files/${attachmentId}`,
  download: (attachmentId: number) => `/files/${attachmentId}/download`,
  zip: (messageId: number) => `/files/message/${messageId}/zip`,
  original: (messageId: number) => `/files/message/${messageId}/original`,
  /** A remote https image of the message, fetched by main after Show images (main/mail/remote-images.ts). */
  remoteImage: (messageId: number, url: string) => `/files/message/${messageId}/image/${encodeURIComponent(url)}`,
};
