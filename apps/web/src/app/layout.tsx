import type { Metadata } from "next";

import { TRPCReactProvider } from "~/trpc/react";

import "./globals.css";

/** Every page depends on the session: nothing is prerendered at build time. */
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Gantry", template: "%s · Gantry" },
  description: "Experiments to production, and healthy there.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
