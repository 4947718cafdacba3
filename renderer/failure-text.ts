import { failureText, type Failure } from '../common/failure';
import { formatSize } from '../common/size';
import { useApp } from './stores/app';

/** Says why something failed in the operator's language, the server's own words after it. */
export function useFailureText(): (failure: Failure) => string {
  const t = useApp((s) => s.t);
  const lang = useApp((s) => s.lang);
  return (failure) => failureText(failure, t, (bytes) => formatSize(bytes, lang));
}
