// The report's behaviour: search and filters over the cards, the page viewer, and the
// copy-correction buttons. Plain DOM, no library; the data block holds the page pictures.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var $ = function (id) { return document.getElementById(id); };

  function pageSrc(n) {
    var page = data.pages[n];
    return page ? 'data:image/png;base64,' + page.png : '';
  }

  // Thumbnails are decoded only when they come near the screen: a batch report holds
  // hundreds of pages.
  var thumbs = document.querySelectorAll('img[data-page]');
  if ('IntersectionObserver' in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          entry.target.src = pageSrc(entry.target.dataset.page);
          seen.unobserve(entry.target);
        }
      });
    }, { rootMargin: '600px' });
    thumbs.forEach(function (img) { seen.observe(img); });
  } else {
    thumbs.forEach(function (img) { img.src = pageSrc(img.dataset.page); });
  }

  // --- the page viewer -------------------------------------------------------------
  var viewer = $('viewer'), img = $('v-img'), box = $('v-box');
  function openPage(n, bbox, label) {
    var page = data.pages[n];
    if (!page) { return; }
    viewer.classList.remove('fit');
    img.src = pageSrc(n);
    $('v-title').textContent = 'page ' + n + (label ? ' — ' + label : '');
    $('v-pdf').href = data.pdf + '#page=' + n;
    viewer.hidden = false;
    if (bbox) {
      var b = bbox.split(',').map(Number);
      box.style.left = (100 * b[0] / page.w) + '%';
      box.style.top = (100 * b[1] / page.h) + '%';
      box.style.width = (100 * (b[2] - b[0]) / page.w) + '%';
      box.style.height = (100 * (b[3] - b[1]) / page.h) + '%';
      box.hidden = false;
    } else {
      box.hidden = true;
    }
    var show = function () {
      if (bbox) { box.scrollIntoView({ block: 'center', inline: 'center' }); } else { $('v-stage').scrollTo(0, 0); }
      viewer.dataset.ready = n;
    };
    if (img.complete && img.naturalWidth) { show(); } else { img.onload = show; }
    $('v-close').focus({ preventScroll: true });
  }
  function closeViewer() { viewer.hidden = true; delete viewer.dataset.ready; }
  $('v-close').addEventListener('click', closeViewer);
  $('v-fit').addEventListener('click', function () { viewer.classList.toggle('fit'); });
  img.addEventListener('click', function () { viewer.classList.toggle('fit'); });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') { closeViewer(); $('copied').hidden = true; }
  });

  // --- copy correction -------------------------------------------------------------
  function showBlock(block, copied) {
    $('copied-note').textContent = copied
      ? 'Copied to the clipboard. Fill in value, add it to your corrections file and rerun with --corrections:'
      : 'The clipboard is not available here: copy this block (it is selected):';
    var area = $('copied-text');
    area.value = block;
    $('copied').hidden = false;
    if (!copied) { area.focus(); area.select(); }
  }
  function copyBlock(button) {
    var block = button.dataset.toml;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(block).then(function () {
        button.textContent = 'copied';
        showBlock(block, true);
      }, function () { showBlock(block, false); });
    } else {
      showBlock(block, false);
    }
  }
  $('copied-close').addEventListener('click', function () { $('copied').hidden = true; });

  // --- search and filters ----------------------------------------------------------
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.card'));
  var rows = {};
  document.querySelectorAll('.matrix tr[data-id]').forEach(function (row) { rows[row.dataset.id] = row; });
  var fold = function (s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); };
  // What a card says, not what the report says about it (buttons, provenance, field names).
  var SKIP = 'button, .prov, a.pdf, table.fields td:first-child, .pages, p.top';
  function searchable(card) {
    var walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var parts = [];
    while (walker.nextNode()) { parts.push(walker.currentNode.nodeValue); }
    return fold(parts.join(' '));
  }
  var haystack = null;
  function apply() {
    if (!haystack) { haystack = cards.map(searchable); }
    var terms = fold($('q').value).split(/\s+/).filter(Boolean);
    var theme = $('f-theme').value, country = $('f-country').value, code = $('f-code').value;
    var corrected = $('f-corrected').checked, shown = 0;
    cards.forEach(function (card, i) {
      var ok = terms.every(function (t) { return haystack[i].indexOf(t) >= 0; }) &&
        (!theme || card.dataset.theme === theme) &&
        (!country || card.dataset.country === country) &&
        (!code || card.dataset.codes.split(' ').indexOf(code) >= 0) &&
        (!corrected || card.dataset.corrected === '1');
      card.hidden = !ok;
      if (rows[card.dataset.id]) { rows[card.dataset.id].hidden = !ok; }
      if (ok) { shown += 1; }
    });
    $('count').textContent = shown + ' of ' + cards.length + ' practices';
    $('none').hidden = shown > 0;
  }
  $('q').addEventListener('input', apply);
  ['f-theme', 'f-country', 'f-code', 'f-corrected'].forEach(function (id) { $(id).addEventListener('change', apply); });
  $('f-reset').addEventListener('click', function () {
    $('q').value = ''; $('f-theme').value = ''; $('f-country').value = ''; $('f-code').value = '';
    $('f-corrected').checked = false; apply();
  });

  document.addEventListener('click', function (ev) {
    var target = ev.target.closest('a.where, button.thumb, button.copy, button.only');
    if (!target) { return; }
    if (target.matches('a.where')) {
      ev.preventDefault();
      openPage(target.dataset.page, target.dataset.box, target.dataset.field + ': ' + target.textContent);
    } else if (target.matches('button.thumb')) {
      openPage(target.dataset.page, null, '');
    } else if (target.matches('button.copy')) {
      copyBlock(target);
    } else {
      $('f-code').value = target.dataset.code;
      apply();
      $('practices').scrollIntoView();
    }
  });
  document.documentElement.dataset.ready = '1';
}());
