// A small offline API explorer: renders /api/schema/ (OpenAPI 3) and tries calls with fetch.
(function () {
  "use strict";
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  function resolve(schema, spec) {
    if (schema && schema.$ref) {
      var parts = schema.$ref.replace(/^#\//, "").split("/");
      return parts.reduce(function (obj, key) { return obj[key]; }, spec);
    }
    return schema || {};
  }
  function example(schema, spec, depth) {
    schema = resolve(schema, spec);
    if (depth > 4) { return null; }
    if (schema.type === "object" || schema.properties) {
      var out = {};
      Object.keys(schema.properties || {}).forEach(function (name) {
        var prop = resolve(schema.properties[name], spec);
        if (!prop.readOnly) { out[name] = example(prop, spec, depth + 1); }
      });
      return out;
    }
    if (schema.type === "array") { return [example(schema.items, spec, depth + 1)]; }
    if (schema.enum) { return schema.enum[0]; }
    if (schema.allOf) { return example(schema.allOf[0], spec, depth + 1); }
    return schema.type === "integer" || schema.type === "number" ? 0 : schema.type === "boolean" ? false : "";
  }
  function render(root, spec) {
    var list = document.getElementById("api-docs-operations");
    list.textContent = "";
    Object.keys(spec.paths || {}).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method];
        if (typeof op !== "object" || !op.responses) { return; }
        var details = el("details", { "class": "op", "data-operation": op.operationId || "" });
        details.appendChild(el("summary", {}, [el("span", { "class": "method" }, [method]), " ", el("code", {}, [path]),
          " ", op.summary || op.operationId || ""]));
        if (op.description) { details.appendChild(el("p", {}, [op.description])); }
        var params = (op.parameters || []).map(function (p) { return p.name + " (" + p.in + ")"; });
        if (params.length) { details.appendChild(el("p", { "class": "help" }, [root.dataset.labelParams + ": " + params.join(", ")])); }
        var pathInput = el("input", { type: "text", value: path });
        details.appendChild(pathInput);
        var body = null;
        var content = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
        if (content) {
          body = el("textarea", { "aria-label": root.dataset.labelBody });
          body.value = JSON.stringify(example(content.schema, spec, 0), null, 2);
          details.appendChild(el("label", {}, [root.dataset.labelBody, body]));
        }
        var output = el("pre", {});
        var button = el("button", { type: "button", "class": "button secondary", "data-try": "" }, [root.dataset.labelTry]);
        button.addEventListener("click", function () {
          var headers = { "Accept": "application/json", "X-CSRFToken": cookie("csrftoken") };
          var key = document.getElementById("api-docs-key").value.trim();
          if (key) { headers.Authorization = "Api-Key " + key; }
          var init = { method: method.toUpperCase(), headers: headers, credentials: "same-origin" };
          if (body) { headers["Content-Type"] = "application/json"; init.body = body.value; }
          fetch(pathInput.value, init).then(function (response) {
            return response.text().then(function (text) {
              var shown = text;
              try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { shown = text; }
              output.textContent = root.dataset.labelResponse + ": " + response.status + "\n" + shown;
            });
          });
        });
        details.appendChild(el("p", {}, [button]));
        details.appendChild(output);
        list.appendChild(details);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("api-docs");
    var list = document.getElementById("api-docs-operations");
    list.textContent = root.dataset.labelLoading;
    fetch(root.dataset.schemaUrl, { headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (spec) { render(root, spec); })
      .catch(function () { list.textContent = root.dataset.labelFailed; });
  });
})();
