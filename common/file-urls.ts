// The browser host's same-origin routes for attachment bytes (see main/web/file-routes.ts).
// Each names an opaque id; none takes a path.
export const fileUrls = {
  inline: (attachmentId: number) => `/files/${attachmentId}`,
  download: (attachmentId: number) => `/files/${attachmentId}/download`,
  zip: (messageId: number) => `/files/message/${messageId}/zip`,
  original: (messageId: number) => `/files/message/${messageId}/original`,
};
