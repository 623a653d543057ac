// Swagger UI for mod_testapi: served at /swagger/swagger-initializer.js in
// place of swagger-ui-dist's own (conf/testapi.conf), it loads the API's
// OpenAPI document from the same server, so "Try it out" calls this server.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/swagger/spec.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    // Never ask a remote validator service about the document.
    validatorUrl: null
  });
};
