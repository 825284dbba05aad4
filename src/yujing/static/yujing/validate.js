// Inline validation as the user leaves a field, before anything is sent: a required field left empty, or a
// value the browser already knows is malformed (a date that is not a date, text over its length), is marked
// in red with a message in Chinese under it. The server checks everything again on submit; this only tells
// sooner. Forms are `novalidate`, so the browser's own bubbles (in the browser's language) never appear.
(function () {
  "use strict";

  function message(field) {
    var v = field.validity;
    if (v.valueMissing) {
      if (field.type === "checkbox") return "请勾选此项。";
      if (field.tagName === "SELECT") return "请选择" + label(field) + "。";
      return "请填写" + label(field) + "。";
    }
    if (v.badInput || v.typeMismatch) return field.type === "date" ? "请输入有效的日期。" : "格式不正确。";
    if (v.tooLong) return "不能超过 " + field.maxLength + " 个字。";
    if (v.rangeUnderflow) return "不能早于 " + field.min + "。";
    if (v.rangeOverflow) return "不能晚于 " + field.max + "。";
    return "";
  }

  function label(field) {
    var el = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    var text = el ? el.textContent.replace(/[*＊\s]+$/, "").trim() : "";
    return text ? "“" + text + "”" : "此项";
  }

  function feedback(field) {
    var id = (field.id || field.name) + "_inline";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "invalid-feedback";
      var holder = field.closest(".mb-3") || field.parentNode;
      holder.appendChild(box);
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    return box;
  }

  function check(field) {
    if (!field.form || !field.willValidate || field.type === "hidden") return;
    var text = message(field);
    var box = document.getElementById((field.id || field.name) + "_inline");
    if (text) {
      box = feedback(field);
      box.textContent = text;
      box.classList.add("d-block");
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
    } else if (box) {
      box.classList.remove("d-block");
      box.textContent = "";
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
    }
  }

  function watched(field) {
    return field.matches && field.matches("input, select, textarea") && field.closest("form[novalidate]");
  }
  // leaving a field the user has typed in or changed: tell what is wrong with it (merely tabbing past an
  // empty field says nothing yet)
  document.addEventListener("focusout", function (event) {
    var field = event.target;
    // going straight to a button: say nothing now, for a message appearing on mousedown would move the
    // button from under the pointer and lose the click; the server answers the submit anyway
    var next = event.relatedTarget;
    if (next && next.matches && next.matches("button, [type=submit]")) return;
    if (watched(field) && field.dataset.touched) check(field);
  });
  // correcting it: the message goes as soon as the value is right
  function touched(event) {
    var field = event.target;
    if (!watched(field)) return;
    field.dataset.touched = "1";
    // the server's message about the earlier value no longer applies once the value changes: this one says
    // what is wrong now, never two messages under one field
    var holder = field.closest(".mb-3");
    if (holder) {
      holder.querySelectorAll(".invalid-feedback[role=alert]").forEach(function (old) {
        old.classList.remove("d-block");  // Bootstrap's d-block is !important: it would outrank [hidden]
        old.hidden = true;
      });
      if (!document.getElementById((field.id || field.name) + "_inline")) {
        field.classList.remove("is-invalid");
        field.removeAttribute("aria-invalid");
      }
    }
    if (field.classList.contains("is-invalid") && document.getElementById((field.id || field.name) + "_inline")) check(field);
  }
  document.addEventListener("input", touched);
  document.addEventListener("change", touched);
})();
