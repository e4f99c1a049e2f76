// Runs in the browser before the console's own code (Next.js client instrumentation hook).
import { config } from "zod";

// The pages' Content-Security-Policy forbids eval (issue 19). zod compiles object parsers with
// new Function when it may; told it may not, it never tries (a refused try is a console error).
config({ jitless: true });
