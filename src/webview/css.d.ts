// esbuild bundles stylesheets imported by the dashboard's page script into dist/dashboard.css.
declare module '*.css';
