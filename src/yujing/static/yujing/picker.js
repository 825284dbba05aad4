// Cadre picker for the clue and transfer forms: "选择" adds a chip with a hidden input, "移除" drops it.
document.addEventListener("click", function (event) {
  var pick = event.target.closest("[data-pick-cadre]");
  if (pick) {
    var id = pick.getAttribute("data-pick-cadre");
    var list = document.getElementById("chosen-cadres");
    if (!list.querySelector('[data-chosen-cadre="' + id + '"]')) {
      var item = document.createElement("li");
      item.className = "d-inline-flex align-items-center border rounded px-2 py-1 me-2 mb-1";
      item.setAttribute("data-chosen-cadre", id);
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "cadre_ids"; input.value = id;
      var label = document.createElement("span");
      label.textContent = pick.getAttribute("data-label");
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "btn btn-sm btn-link text-danger";
      remove.setAttribute("data-remove-cadre", ""); remove.textContent = "移除";
      remove.setAttribute("aria-label", "移除" + pick.getAttribute("data-label"));
      item.append(input, label, remove);
      list.appendChild(item);
    }
    pick.textContent = "已选择"; pick.disabled = true;
    return;
  }
  var drop = event.target.closest("[data-remove-cadre]");
  if (drop) {
    drop.closest("[data-chosen-cadre]").remove();
  }
});

// Reporter fields only matter for a named report: hide them while "匿名举报" is ticked.
function syncReporterFields() {
  var anonymous = document.getElementById("id_anonymous");
  if (!anonymous) return;
  ["id_reporter_name", "id_reporter_contact", "id_reporter_id_number"].forEach(function (id) {
    var field = document.getElementById(id);
    if (field) field.closest(".mb-3").hidden = anonymous.checked;
  });
}
document.addEventListener("change", function (event) {
  if (event.target.id === "id_anonymous") syncReporterFields();
});
document.addEventListener("DOMContentLoaded", syncReporterFields);
