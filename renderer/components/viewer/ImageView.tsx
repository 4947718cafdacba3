import type { AttachmentView } from '../../../preload/contract';
import { useApi } from '../../stores/context';

/** Fit to the window, or a scale of the image's own size. */
export type Zoom = number | 'fit';

/** An image, loaded by id from our own route (never a path). */
export function ImageView({ image, zoom }: { image: AttachmentView; zoom: Zoom }) {
  const api = useApi();
  return (
    <div className="viewer-stage">
      <img
        src={api.fileUrl(image.id)}
        alt={image.fileName}
        className={zoom === 'fit' ? 'viewer-image fit' : 'viewer-image'}
        style={zoom === 'fit' ? undefined : { transform: `scale(${zoom})` }}
      />
    </div>
  );
}
