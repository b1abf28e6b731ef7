import ReactMarkdown from "react-markdown";
import type { Components } from "react-markdown";

/* Tailwind resets element styles: the model card's elements get theirs here. */
const components: Components = {
  h1: ({ children }) => <h1 className="mt-4 mb-2 text-xl font-semibold text-slate-900 first:mt-0">{children}</h1>,
  h2: ({ children }) => <h2 className="mt-4 mb-2 text-lg font-semibold text-slate-900 first:mt-0">{children}</h2>,
  h3: ({ children }) => <h3 className="mt-3 mb-1 text-base font-semibold text-slate-900 first:mt-0">{children}</h3>,
  p: ({ children }) => <p className="my-2 text-sm leading-6 text-slate-700">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-6 text-sm text-slate-700">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-6 text-sm text-slate-700">{children}</ol>,
  a: ({ children, href }) => (
    <a href={href} className="text-brand-600 hover:underline" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  code: ({ children }) => <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">{children}</code>,
  pre: ({ children }) => <pre className="my-2 overflow-x-auto rounded-md bg-slate-50 p-3 text-xs">{children}</pre>,
  blockquote: ({ children }) => <blockquote className="my-2 border-l-4 border-slate-200 pl-3 text-slate-600">{children}</blockquote>,
  table: ({ children }) => <table className="my-2 text-sm">{children}</table>,
  th: ({ children }) => <th className="border border-slate-200 px-2 py-1 text-left font-semibold">{children}</th>,
  td: ({ children }) => <td className="border border-slate-200 px-2 py-1">{children}</td>,
};

/**
 * Markdown as React elements. Raw HTML in the source is dropped (`skipHtml`), never rendered,
 * and react-markdown's default URL transform drops `javascript:` and other unsafe links.
 */
export function Markdown({ source }: { source: string }) {
  return (
    <ReactMarkdown skipHtml components={components}>
      {source}
    </ReactMarkdown>
  );
}
