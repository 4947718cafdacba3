export function bundleNode(options: { entry: string; outfile: string; target?: string; sourcemap?: boolean; logLevel?: 'error' | 'info' }): Promise<void>;
