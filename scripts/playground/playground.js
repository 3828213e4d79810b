/* The host side of amoCRM's widget runtime, small enough to read: an APP global, RequireJS with
   jquery/underscore, `new Widget()` with the runtime methods mixed in, then render → init →
   bind_actions. Beside it, the emulated lead as amoCRM stores it, polled from the emulator.
   Plain ES2017 served as is: no build step, no external assets. */
/* global requirejs, require */
(function () {
  'use strict';

  var DRAMLINK_FIELDS = [
    'DRAMLINK_STATUS',
    'DRAMLINK_AMOUNT',
    'DRAMLINK_CURRENCY',
    'DRAMLINK_PAID_AT',
    'DRAMLINK_PROVIDER_REF',
    'DRAMLINK_LINK',
  ];
  var POLL_MS = 1500;
  /** Each tab of the playground is one of amoCRM's widget areas (system().area). */
  var AREAS = { card: 'lcard', list: 'llist', dp: 'digital_pipeline', sb: 'salesbot_designer', settings: 'settings' };
  /** The lead list, the pipeline action and the Salesbot designer (list-view.js, dp-view.js, sb-view.js), registered by tab. */
  var VIEWS = {};
  var query = new URLSearchParams(location.search);
  var $; // jQuery, once RequireJS has it
  var state = {
    demo: null,
    leadId: 0,
    user: 'admin',
    lang: ['en', 'es', 'pt'].indexOf(query.get('lang')) >= 0 ? query.get('lang') : 'ru',
    tab: AREAS[query.get('tab')] ? query.get('tab') : 'card',
    widget: null,
    observer: null,
    langs: {},
    lastLead: '',
    // Per card open: what the test and the footer read.
    metrics: { cardOpens: 0, apiRequests: 0, initToPaintMs: null },
    // amoCRM's in-browser notifications the widget showed (APP.notifications.show_message).
    notifications: [],
  };
  var byId = function (id) {
    return document.getElementById(id);
  };
  var status = function (text, isError) {
    var el = byId('pg-status');
    el.textContent = text;
    el.className = isError ? 'pg-error' : '';
  };
  window.dramlinkPlayground = {
    state: state,
    reopen: function () {
      return openArea();
    },
    /** The lead card of a lead, as clicking it in amoCRM's list or a link opens it. */
    openCard: function (leadId) {
      state.leadId = leadId;
      state.tab = 'card';
      byId('pg-lead').value = String(leadId);
      changed();
    },
    addView: function (view) {
      VIEWS[view.tab] = view;
    },
    // What the views share with this file.
    lib: {
      byId: byId,
      status: status,
      getJSON: getJSON,
      fillSelect: fillSelect,
      /** A view's own lead picker, filled with the demo leads the first time it is shown. */
      fillLeadsOnce: function (select) {
        if (select.options.length) return;
        fillSelect(
          select,
          state.demo.leads.map(function (l) {
            return [l.id, l.name];
          }),
          state.leadId,
        );
      },
      link: link,
      manifest: loadManifest,
      label: label,
      /** jQuery as amoCRM's page has it (callbacks get jQuery objects). */
      jquery: function () {
        return $;
      },
      fieldValue: function (data, code) {
        var v = data.fields[code];
        return v && v.length ? v[0].value : undefined;
      },
    },
  };

  // amoCRM's page provides these AMD modules; both libraries register under these names.
  requirejs.config({
    paths: { jquery: '/playground/vendor/jquery', underscore: '/playground/vendor/underscore' },
    // script.js may still be building on the first start: wait for it rather than time out.
    waitSeconds: 120,
  });
  requirejs.onError = function (err) {
    status('RequireJS: ' + err.message, true);
  };

  require(['jquery', 'underscore'], function (jq) {
    $ = jq;
    boot().catch(function (e) {
      status(String((e && e.message) || e), true);
    });
  });

  /** The built widget's manifest.json (its dp and salesbot_designer blocks), loaded once. */
  var manifest = null;
  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    var v = encodeURIComponent(state.demo.widgetVersion);
    return getJSON('/playground/widget/manifest.json?v=' + v).then(function (m) {
      return (manifest = m);
    });
  }

  /** A manifest name such as `dp.amount_source`, looked up in the widget's language file as amoCRM does. */
  function label(langs, key) {
    var node = langs;
    key.split('.').forEach(function (part) {
      node = node && typeof node === 'object' ? node[part] : undefined;
    });
    return typeof node === 'string' ? node : key;
  }

  function getJSON(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      if (!r.ok)
        return r.text().then(function (t) {
          throw new Error(url + ': ' + r.status + ' ' + t);
        });
      return r.json();
    });
  }

  async function boot() {
    var demo = (state.demo = await getJSON('/playground/demo.json'));
    if (demo.build.state === 'failed') throw new Error('The widget build failed:\n' + demo.build.problems.join('\n'));
    var leadParam = Number(query.get('lead'));
    state.leadId = demo.leads.some(function (l) {
      return l.id === leadParam;
    })
      ? leadParam
      : demo.leads[0].id;
    state.user = query.get('user') === 'manager' ? 'manager' : 'admin';

    fillSelect(
      byId('pg-lead'),
      demo.leads.map(function (l) {
        return [l.id, l.name + ' · ' + l.price.toLocaleString('en') + ' ' + demo.currency];
      }),
      state.leadId,
    );
    fillSelect(
      byId('pg-user'),
      [
        ['admin', userOf('admin').name + ' (admin)'],
        ['manager', userOf('manager').name + ' (manager)'],
      ],
      state.user,
    );
    byId('pg-lang').value = state.lang;

    window.APP = {
      data: { current_card: { id: state.leadId } },
      lang_id: state.lang,
      constant: function (name) {
        var u = userOf(state.user);
        if (name === 'user_rights') return { is_admin: u.isAdmin ? 'Y' : 'N' };
        if (name === 'user') return { id: u.id, name: u.name };
        if (name === 'account') return { id: demo.accountId, subdomain: demo.subdomain };
        // amoCRM's managers constant: the panel shows names instead of user ids in the history.
        if (name === 'managers')
          return demo.users.reduce(function (m, x) {
            m[x.id] = { id: x.id, title: x.name };
            return m;
          }, {});
        return undefined;
      },
      isCard: function () {
        return state.tab === 'card';
      },
      // amoCRM's notification popups (https://www.amocrm.ru/developers/content/notifications/adding_notifications).
      notifications: {
        show_message: function (m) {
          state.notifications.push({ header: String(m.header), text: String(m.text) });
          toast(m.header, m.text);
        },
      },
    };

    byId('pg-lead').onchange = function () {
      state.leadId = Number(this.value);
      changed();
    };
    byId('pg-user').onchange = function () {
      state.user = this.value;
      changed();
    };
    byId('pg-lang').onchange = function () {
      state.lang = this.value;
      changed();
    };
    byId('pg-reopen').onclick = function () {
      openArea();
    };
    byId('pg-save').onclick = function () {
      if (state.widget) state.widget.callbacks.onSave();
    };
    Object.keys(VIEWS).forEach(function (tab) {
      VIEWS[tab].boot();
    });
    document.querySelectorAll('[data-tab]').forEach(function (b) {
      b.onclick = function () {
        state.tab = b.getAttribute('data-tab');
        changed();
      };
    });
    // The card stays open while the customer pays in another tab, as in amoCRM: the panel keeps
    // itself fresh (it looks again on focus and while a payment can change), nothing reopens it.
    window.addEventListener('pageshow', function (e) {
      if (e.persisted && state.tab === 'card') openArea();
    });

    await openArea();
    poll();
    setInterval(poll, POLL_MS);
  }

  function changed() {
    var q = new URLSearchParams({ lead: String(state.leadId), user: state.user, lang: state.lang });
    if (state.tab !== 'card') q.set('tab', state.tab);
    history.replaceState(null, '', '/?' + q);
    state.lastLead = '';
    openArea();
    poll();
  }

  /** Keeps the emulated amoCRM on screen fresh: the lead of the card, or the rows of the list. */
  function poll() {
    if (state.tab === 'card') pollLead();
    else if (VIEWS[state.tab]) VIEWS[state.tab].poll();
  }

  function userOf(role) {
    var users = state.demo.users;
    return (
      users.find(function (u) {
        return role === 'admin' ? u.isAdmin : !u.isAdmin;
      }) || users[0]
    );
  }

  function fillSelect(select, items, value) {
    select.innerHTML = '';
    items.forEach(function (it) {
      var o = document.createElement('option');
      o.value = String(it[0]);
      o.textContent = it[1];
      select.appendChild(o);
    });
    select.value = String(value);
  }

  // ---- the widget runtime -------------------------------------------------------------------

  var widgetClass;
  function loadWidget() {
    if (widgetClass) return Promise.resolve(widgetClass);
    return new Promise(function (resolve, reject) {
      require(['/playground/widget/script.js?v=' + encodeURIComponent(state.demo.widgetVersion)], function (W) {
        resolve((widgetClass = W));
      }, reject);
    });
  }

  function loadLangs(lang) {
    if (state.langs[lang]) return Promise.resolve(state.langs[lang]);
    return getJSON('/playground/widget/i18n/' + lang + '.json').then(function (l) {
      return (state.langs[lang] = l);
    });
  }

  /** amoCRM's $authorizedAjax: $.ajax plus a fresh disposable token (signed by the emulator) for the current user. */
  function authorizedAjax(opts) {
    state.metrics.apiRequests++;
    var d = $.Deferred();
    var tokenUrl = '/playground/emulator/accounts/' + state.demo.accountId + '/disposable-token';
    $.ajax({
      url: tokenUrl,
      type: 'POST',
      contentType: 'application/json',
      dataType: 'json',
      data: JSON.stringify({ userId: userOf(state.user).id }),
    })
      .then(function (r) {
        return $.ajax($.extend({}, opts, { headers: $.extend({}, opts.headers, { 'X-Auth-Token': r.token }) }));
      })
      .then(
        function (data) {
          d.resolve(data);
        },
        function (xhr) {
          d.reject(xhr);
        },
      );
    return d.promise();
  }

  function runtime(area, langs) {
    var demo = state.demo;
    return {
      langs: langs,
      i18n: function (section) {
        return langs[section];
      },
      $authorizedAjax: authorizedAjax,
      get_settings: function () {
        return {
          widget_code: 'dramlink',
          path: '/playground/widget',
          images_path: '/playground/widget/images',
          version: demo.widgetVersion,
          active: 'Y',
          status: 'installed',
          // The playground's own origin: script.js's baked PUBLIC_URL may name another port.
          server_url: location.origin,
        };
      },
      get_version: function () {
        return demo.widgetVersion;
      },
      // amoCRM's lead list: the ticked rows (list-view.js).
      list_selected: function () {
        return VIEWS.list ? VIEWS.list.selected() : { selected: [], summary: { items: 0, emails: 0, phones: 0 } };
      },
      get_install_status: function () {
        return 'installed';
      },
      system: function () {
        return { area: area, amouser_id: userOf(state.user).id, subdomain: demo.subdomain, domain: 'amocrm.ru' };
      },
      render_template: function (params) {
        // amoCRM's right-column shell: a caption, then the widget's markup (`render`) as is.
        var shell = document.createElement('div');
        var caption = document.createElement('div');
        caption.className = 'pg-shell-caption ' + ((params.caption && params.caption.class_name) || '');
        caption.textContent = (langs.widget && langs.widget.name) || 'dramlink';
        var body = document.createElement('div');
        body.innerHTML = params.render || params.body || '';
        shell.appendChild(caption);
        shell.appendChild(body);
        var view = VIEWS[state.tab];
        byId((view && view.widgetsBlock) || 'widgets_block').replaceChildren(shell);
      },
      set_settings: function () {},
      set_status: function () {},
      widgetsOverlay: function () {},
    };
  }

  function closeWidget() {
    if (state.observer) state.observer.disconnect();
    if (state.widget) state.widget.callbacks.destroy();
    state.widget = null;
    Object.keys(VIEWS).forEach(function (tab) {
      VIEWS[tab].leave();
    });
    byId('widgets_block').replaceChildren();
    document.querySelector('.widget_settings_block').replaceChildren();
  }

  /** Leaves the current area (destroy) and enters the chosen one: the card, the list, the pipeline action or the settings modal. */
  var openSeq = 0;
  async function openArea() {
    var seq = ++openSeq;
    closeWidget();
    document.querySelectorAll('[data-tab]').forEach(function (b) {
      b.setAttribute('aria-selected', String(b.getAttribute('data-tab') === state.tab));
    });
    document.querySelectorAll('[data-pane]').forEach(function (pane) {
      pane.hidden = pane.getAttribute('data-pane') !== state.tab;
    });
    var W = await loadWidget();
    var langs = await loadLangs(state.lang);
    if (seq !== openSeq) return; // a newer switch won while this one was loading
    window.APP.lang_id = state.lang;
    window.APP.data.current_card = state.tab === 'card' ? { id: state.leadId } : false;
    document.documentElement.lang = state.lang;

    var area = AREAS[state.tab];
    var w = new W();
    $.extend(w, runtime(area, langs));
    state.widget = w;
    state.metrics = { cardOpens: state.metrics.cardOpens + (area === 'lcard' ? 1 : 0), apiRequests: 0, initToPaintMs: null };
    ['dramlink:render', 'dramlink:init', 'dramlink:painted'].forEach(function (m) {
      performance.clearMarks(m);
    });
    performance.clearMeasures('dramlink:init-to-paint');
    document.body.removeAttribute('data-panel-painted');

    performance.mark('dramlink:render');
    if (w.callbacks.render() !== true) return status('render did not return true', true);
    performance.mark('dramlink:init');
    w.callbacks.init();
    w.callbacks.bind_actions();
    if (area === 'settings') w.callbacks.settings($('#pg-settings-body'));
    else if (area === 'lcard') watchPaint();
    else await VIEWS[state.tab].enter(w, langs);
    var u = userOf(state.user);
    status(
      'account ' +
        state.demo.subdomain +
        ' (' +
        state.demo.accountId +
        ') · ' +
        u.name +
        (u.isAdmin ? ' (admin)' : '') +
        ' · ' +
        state.lang +
        ' · script.js v' +
        state.demo.widgetVersion,
    );
  }

  /** Marks the first frame where the panel shows data (or its error) instead of "loading". */
  function watchPaint() {
    var block = byId('widgets_block');
    var done = false;
    var check = function () {
      var root = byId('drl-panel-root');
      if (done || !root || !root.querySelector('.drl-payment, .drl-create, .drl-empty, [data-action="reload"]')) return;
      done = true;
      state.observer.disconnect();
      requestAnimationFrame(function () {
        setTimeout(function () {
          performance.mark('dramlink:painted');
          state.metrics.initToPaintMs = performance.measure('dramlink:init-to-paint', 'dramlink:init', 'dramlink:painted').duration;
          document.body.setAttribute('data-panel-painted', '1');
          byId('pg-metrics').textContent =
            '· card open: ' +
            state.metrics.apiRequests +
            ' API request(s), init → painted ' +
            state.metrics.initToPaintMs.toFixed(0) +
            ' ms';
        }, 0);
      });
    };
    state.observer = new MutationObserver(check);
    state.observer.observe(block, { childList: true, subtree: true });
    check();
  }

  // ---- the emulated lead -----------------------------------------------------------------------

  var polling = false;
  function pollLead() {
    if (polling || !state.demo) return;
    polling = true;
    var leadId = state.leadId;
    getJSON('/playground/emulator/accounts/' + state.demo.accountId + '/leads/' + leadId)
      .then(function (data) {
        if (leadId === state.leadId) renderLead(data);
      })
      .catch(function (e) {
        status('emulator: ' + e.message, true);
      })
      .then(function () {
        polling = false;
      });
  }

  function renderLead(data) {
    var json = JSON.stringify(data);
    if (json === state.lastLead) return;
    state.lastLead = json;
    var lead = data.lead;
    byId('pg-lead-name').textContent = lead.name;
    byId('pg-lead-meta').textContent =
      'Lead #' +
      lead.id +
      ' · price ' +
      lead.price.toLocaleString('en') +
      ' ' +
      state.demo.currency +
      ' · updated ' +
      time(lead.updated_at);

    var names = data.fieldNames || {};
    var rows = DRAMLINK_FIELDS.map(function (code) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-field', code);
      var th = document.createElement('th');
      // The field's name as amoCRM shows it in the card (in the account's language), and its code.
      th.textContent = names[code] || code;
      th.title = code;
      var td = document.createElement('td');
      var values = (data.fields[code] || []).map(function (v) {
        return v.value;
      });
      if (!values.length) td.textContent = '—';
      else if (code === 'DRAMLINK_LINK') {
        var a = document.createElement('a');
        a.href = String(values[0]);
        a.target = '_blank';
        a.rel = 'noopener';
        a.textContent = String(values[0]);
        td.appendChild(a);
      } else
        td.textContent = values
          .map(function (v) {
            return code === 'DRAMLINK_PAID_AT' && typeof v === 'number' ? time(v) : String(v);
          })
          .join(', ');
      tr.appendChild(th);
      tr.appendChild(td);
      return tr;
    });
    byId('pg-fields').replaceChildren.apply(byId('pg-fields'), rows);

    byId('pg-invoices').replaceChildren.apply(byId('pg-invoices'), (data.invoices || []).map(invoiceItem));
    byId('pg-notes').replaceChildren.apply(
      byId('pg-notes'),
      data.notes.map(function (n) {
        var text = n.params && typeof n.params.text === 'string' ? n.params.text : JSON.stringify(n.params);
        return item(time(n.created_at) + ' · ' + text, 'data-note');
      }),
    );
    byId('pg-tasks').replaceChildren.apply(
      byId('pg-tasks'),
      data.tasks.map(function (t) {
        return item((t.is_completed ? '✓ ' : '') + t.text + ' · due ' + time(t.complete_till), 'data-task');
      }),
    );
  }

  /** An invoice of the lead as amoCRM lists it: name, total, status (its enum code), payment date, and its public page. */
  function invoiceItem(inv) {
    var li = item(
      inv.name +
        ' · ' +
        (inv.price === null ? '—' : Number(inv.price).toLocaleString('en') + ' ' + state.demo.currency) +
        ' · status ' +
        inv.status +
        (inv.paymentDate ? ' · paid ' + time(inv.paymentDate) : '') +
        ' · ',
      'data-invoice',
    );
    li.setAttribute('data-status', String(inv.status));
    var a = document.createElement('a');
    a.href = inv.link;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = 'invoice page (PayWall)';
    li.appendChild(a);
    return li;
  }

  /** amoCRM shows its popups in a corner for a few seconds. */
  function toast(header, text) {
    var el = document.createElement('div');
    el.className = 'pg-toast';
    el.setAttribute('role', 'status');
    var h = document.createElement('strong');
    h.textContent = header;
    el.appendChild(h);
    el.appendChild(document.createTextNode(' ' + text));
    document.body.appendChild(el);
    setTimeout(function () {
      el.remove();
    }, 6000);
  }

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = text;
    return a;
  }

  function item(text, attr) {
    var li = document.createElement('li');
    li.setAttribute(attr, '');
    li.textContent = text;
    return li;
  }

  function time(sec) {
    return sec ? new Date(sec * 1000).toLocaleString(state.lang === 'ru' ? 'ru-RU' : 'en-GB') : '—';
  }
})();
