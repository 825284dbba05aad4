// Long operations — exports, imports, document generation — never leave the page looking frozen.
//
// A form, submit button or link marked data-busy="正在生成，请稍候…" shows, while the server works, a
// spinner with that text (role="status") and disables its button, so nothing is sent twice.
// Marked also data-busy-download, the file is fetched in the background and saved under the name the
// server gives in Content-Disposition; the button comes back when it is saved, and an error shows its
// (Chinese) message next to the button instead. The server side is unchanged: without this script the
// same forms and links work as plain HTML.
(function () {
  "use strict";

  var FAILED = "未能完成，请稍后重试。";

  function clear(control) {
    var next = control.nextElementSibling;
    if (next && next.hasAttribute("data-busy-status")) next.remove();
  }

  function note(control, className, role) {
    clear(control);
    var box = document.createElement("span");
    box.className = "busy-status ms-2 small " + className;
    box.setAttribute("role", role);
    box.setAttribute("data-busy-status", "");
    control.insertAdjacentElement("afterend", box);
    return box;
  }

  function start(control, text) {
    var box = note(control, "d-inline-flex align-items-center gap-1", "status");
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm text-danger";
    spinner.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.textContent = text;
    box.append(spinner, label);
    control.setAttribute("data-busy-active", "");
    control.setAttribute("aria-disabled", "true");
    control.classList.add("disabled");
    if (control.tagName === "BUTTON" || control.tagName === "INPUT") {
      // after the submission has begun: a disabled submitter would drop its name from the form data
      setTimeout(function () { control.disabled = true; }, 0);
    }
  }

  function finish(control) {
    clear(control);
    control.removeAttribute("data-busy-active");
    control.removeAttribute("aria-disabled");
    control.classList.remove("disabled");
    control.disabled = false;
  }

  function fail(control, message) {
    finish(control);
    note(control, "text-danger", "alert").textContent = message;
  }

  function filename(disposition, url) {
    var star = /filename\*\s*=\s*utf-8''([^;]+)/i.exec(disposition);
    if (star) {
      try { return decodeURIComponent(star[1].trim().replace(/^"|"$/g, "")); } catch (e) { /* fall through */ }
    }
    var plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
    if (plain) return plain[1].trim();
    return decodeURIComponent(url.split("?")[0].split("/").pop() || "下载");
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  // The reason a page gives when it answers with HTML instead of the file: a form's field errors, an
  // alert, or the heading of an error page.
  function reason(response, body) {
    if (response.redirected && response.url.indexOf("/accounts/login/") !== -1) {
      return "登录已失效，请刷新页面后重新登录。";
    }
    var doc = new DOMParser().parseFromString(body, "text/html");
    var found = doc.querySelectorAll("main .invalid-feedback, main .alert-danger, main h1");
    var texts = [];
    found.forEach(function (node) {
      var text = node.textContent.replace(/\s+/g, " ").trim();
      if (text && texts.indexOf(text) === -1) texts.push(text);
    });
    var detail = texts.length ? texts.slice(0, 3).join("；") : FAILED;
    return (response.status >= 400 ? "未能生成文件（" + response.status + "）：" : "未能生成文件：") + detail;
  }

  function download(control, text, url, options) {
    start(control, text);
    options.credentials = "same-origin";
    fetch(url, options).then(function (response) {
      var disposition = response.headers.get("Content-Disposition") || "";
      if (response.ok && /attachment/i.test(disposition)) {
        return response.blob().then(function (blob) {
          save(blob, filename(disposition, url));
          finish(control);
        });
      }
      return response.text().then(function (body) { fail(control, reason(response, body)); });
    }).catch(function () {
      fail(control, "网络连接中断，文件未能下载，请稍后重试。");
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-busy]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.hasAttribute("data-busy-active")) {
      event.preventDefault();
      return;
    }
    if (link.hasAttribute("data-busy-download")) {
      event.preventDefault();
      download(link, link.getAttribute("data-busy"), link.href, {method: "GET"});
    } else {
      start(link, link.getAttribute("data-busy"));
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || form.querySelector("[type=submit]");
    if (event.defaultPrevented || !(form.hasAttribute("data-busy") || (submitter && submitter.hasAttribute("data-busy")))) return;
    var control = submitter || form;
    if (form.hasAttribute("data-busy-active") || control.hasAttribute("data-busy-active")) {
      event.preventDefault();  // already on its way
      return;
    }
    var text = (submitter && submitter.getAttribute("data-busy")) || form.getAttribute("data-busy");
    var isDownload = form.hasAttribute("data-busy-download") || (submitter && submitter.hasAttribute("data-busy-download"));
    if (!isDownload) {
      form.setAttribute("data-busy-active", "");
      start(control, text);
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var method = (form.getAttribute("method") || "get").toUpperCase();
    if (method === "GET") {
      var query = new URLSearchParams(data).toString();
      download(control, text, form.action.split("?")[0] + (query ? "?" + query : ""), {method: "GET"});
    } else {
      download(control, text, form.action, {method: method, body: data});
    }
  });

  // Back to a page kept in the browser's memory: its buttons are usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("[data-busy-active]").forEach(function (element) {
      element.removeAttribute("data-busy-active");
      if (element.tagName !== "FORM") finish(element);
    });
  });
})();
