// Tailwind CSS 4 through its PostCSS plugin (see app/globals.css).
export default {
  plugins: {
    '@tailwindcss/postcss': {},
  },
};
