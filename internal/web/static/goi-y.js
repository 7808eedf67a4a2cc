// Suggestions while typing in the header's search box: titles completing
// what is typed (/api/v1/search/suggest), shown under the box as a listbox
// of the ARIA combobox pattern: arrows move through them, Enter opens the
// one chosen, Escape closes them. Without JavaScript the box is a plain
// search form.
(function () {
  'use strict';
  var form = document.querySelector('form.tim-kiem[data-goi-y]');
  if (!form || !window.fetch) return;
  var input = form.querySelector('input[name="q"]');
  var list = document.createElement('ul');
  list.id = 'goi-y-tim-kiem';
  list.className = 'goi-y';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', form.getAttribute('data-goi-y-nhan'));
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  var timer = 0, asked = 0, active = -1, items = [];

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function show(suggestions) {
    list.textContent = '';
    items = [];
    active = -1;
    input.removeAttribute('aria-activedescendant');
    suggestions.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'goi-y-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.textContent = s.title;
      li.setAttribute('data-url', s.url);
      list.appendChild(li);
      items.push(li);
    });
    if (items.length === 0) {
      close();
      return;
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function move(by) {
    if (active >= 0) items[active].setAttribute('aria-selected', 'false');
    active = (active + 1 + by + items.length + 1) % (items.length + 1) - 1; // -1: none
    if (active < 0) {
      input.removeAttribute('aria-activedescendant');
      return;
    }
    items[active].setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', items[active].id);
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) {
      asked++;
      close();
      return;
    }
    timer = setTimeout(function () {
      var n = ++asked;
      fetch(form.getAttribute('data-goi-y') + '?q=' + encodeURIComponent(text), { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (j) { if (n === asked) show(j.suggestions || []); })
        .catch(close);
    }, 150);
  });

  input.addEventListener('keydown', function (e) {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      move(e.key === 'ArrowDown' ? 1 : -1);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      close();
      e.preventDefault();
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      open();
    }
  });

  var leaving = false;
  function open() {
    leaving = true;
    window.location.href = items[active].getAttribute('data-url');
  }

  // Enter on a chosen suggestion opens it rather than sending the form.
  form.addEventListener('submit', function (e) {
    if (leaving || (active >= 0 && !list.hidden)) {
      e.preventDefault();
      if (!leaving) open();
    }
  });

  // A click on a suggestion opens it; the box keeps the focus meanwhile.
  list.addEventListener('mousedown', function (e) { e.preventDefault(); });
  list.addEventListener('click', function (e) {
    var li = e.target.closest('[role=option]');
    if (li) window.location.href = li.getAttribute('data-url');
  });
  input.addEventListener('blur', close);
  // Back to this page from the history: as new.
  window.addEventListener('pageshow', function () {
    leaving = false;
    close();
  });
})();
