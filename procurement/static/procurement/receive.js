// Receiving form: show the asset fields or the store-room field for what each line becomes.
document.querySelectorAll("[data-goods-kind]").forEach(function (select) {
  function sync() {
    document.querySelectorAll('[data-goods-for="' + select.dataset.goodsKind + '"]').forEach(function (box) {
      box.hidden = box.dataset.kind !== select.value;
    });
  }
  select.addEventListener("change", sync);
  sync();
});
