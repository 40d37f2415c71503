{% autoescape off %}// mgsite's service worker (served by mgsite.views.service_worker; mgsite/pwa.py says what it
// keeps). It keeps the site's static files, and the diary day pages the person views: today's
// (/diary/) and the last dated day. Offline, a navigation to one of them shows the kept copy
// with an "Offline — showing the copy from HH:MM" marker; any other page shows the offline
// page. It never keeps API responses or any other page, and it forgets the kept pages when
// someone signs out, signs in or signs up on this device (a POST navigation under /accounts/).
"use strict";

var VERSION = "{{ version }}";
var STATIC_CACHE = "mg-static-" + VERSION;
var PAGES_CACHE = "mg-pages-v1";
var STATIC_URLS = {{ static_urls }};
var OFFLINE_URL = "{{ offline_url }}";
var DIARY_TODAY = "/diary/";
var DIARY_DAY = /^\/diary\/\d{4}-\d{2}-\d{2}\/$/;
var COPY_TIME_HEADER = "X-Offline-Copy-Time";
// Navigations that change who is signed in, or end the account: the kept pages go.
var FORGET_ON_POST = /^\/(accounts\/|profile\/delete\/)/;
var NEVER = /^\/(api|_allauth|admin|clinic)\//;

var staticPaths = new Set(STATIC_URLS);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      var files = cache.addAll(STATIC_URLS.map(function (url) {
        return new Request(url, { cache: "reload" });
      }));
      // The offline page as anybody sees it: no cookie, nobody's name on it.
      var offline = fetch(OFFLINE_URL, { credentials: "omit", cache: "reload" }).then(
        function (response) {
          if (response.ok) return cache.put(OFFLINE_URL, response);
        }
      );
      return Promise.all([files, offline]);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("mg-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function isDiaryPage(url) {
  return !url.search && (url.pathname === DIARY_TODAY || DIARY_DAY.test(url.pathname));
}

function forgetPages() {
  return caches.delete(PAGES_CACHE);
}

function keepable(response) {
  var type = response.headers.get("Content-Type") || "";
  return response.ok && response.status === 200 && !response.redirected &&
    response.type === "basic" && type.indexOf("text/html") === 0;
}

// Keep a diary page (a whole document only), with the time it was fetched; of the dated days
// only the last one viewed stays.
function keep(path, response) {
  return response.text().then(function (html) {
    if (!/^\s*<!DOCTYPE html/i.test(html)) return undefined;
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");
    headers.set(COPY_TIME_HEADER, String(Date.now()));
    var copy = new Response(html, { status: 200, statusText: "OK", headers: headers });
    return caches.open(PAGES_CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        var older = requests.filter(function (request) {
          var kept = new URL(request.url).pathname;
          return DIARY_DAY.test(kept) && DIARY_DAY.test(path) && kept !== path;
        });
        return Promise.all(older.map(function (request) { return cache.delete(request); }));
      }).then(function () {
        return cache.put(path, copy);
      });
    });
  });
}

function twoDigits(number) {
  return (number < 10 ? "0" : "") + number;
}

function copyTime(stamp) {
  var when = new Date(stamp);
  var time = twoDigits(when.getHours()) + ":" + twoDigits(when.getMinutes());
  if (when.toDateString() === new Date().toDateString()) return time;
  var day = when.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
  return time + " on " + day;
}

// The kept copy, marked as such at the top of the page's main content.
function marked(response) {
  var stamp = Number(response.headers.get(COPY_TIME_HEADER)) || Date.now();
  var marker = '<p class="offline-marker" role="status" data-offline-copy>' +
    "Offline \u2014 showing the copy from " + copyTime(stamp) +
    ". Changes need a connection.</p>";
  return response.text().then(function (html) {
    var page = html.replace(/<main\b[^>]*>/i, function (tag) { return tag + marker; });
    var headers = new Headers(response.headers);
    headers.delete(COPY_TIME_HEADER);
    return new Response(page, { status: 200, statusText: "OK", headers: headers });
  });
}

function keptCopy(path) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(path, { ignoreVary: true }).then(function (hit) {
      if (hit || path !== DIARY_TODAY) return hit;
      // Today's page was never kept: the last day viewed is better than nothing.
      return cache.keys().then(function (requests) {
        var day = requests.find(function (request) {
          return DIARY_DAY.test(new URL(request.url).pathname);
        });
        return day ? cache.match(day, { ignoreVary: true }) : undefined;
      });
    });
  }).then(function (hit) {
    return hit ? marked(hit) : undefined;
  });
}

function offlinePage() {
  return caches.match(OFFLINE_URL).then(function (hit) {
    return hit || new Response("You are offline.", {
      status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
    });
  });
}

function diaryPage(event, url) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      event.waitUntil(keep(url.pathname, response.clone()));
    } else if (response.redirected) {
      event.waitUntil(forgetPages());  // signed out elsewhere: the sign-in page came back
    }
    return response;
  }).catch(function (error) {
    if (request.mode !== "navigate") throw error;
    return keptCopy(url.pathname).then(function (copy) {
      return copy || offlinePage();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (request.mode === "navigate" && FORGET_ON_POST.test(url.pathname)) {
      event.waitUntil(forgetPages());
    }
    return;
  }
  if (NEVER.test(url.pathname)) return;
  if (staticPaths.has(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (isDiaryPage(url) && (request.mode === "navigate" || request.headers.get("HX-Boosted"))) {
    event.respondWith(diaryPage(event, url));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  }
});

// From site.js: a diary page opened before this worker took control, to keep now.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "remember" || typeof data.url !== "string") return;
  var url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || !isDiaryPage(url)) return;
  event.waitUntil(fetch(url.pathname, { credentials: "same-origin" }).then(function (response) {
    if (keepable(response)) return keep(url.pathname, response);
    return undefined;
  }).catch(function () { return undefined; }));
});
{% endautoescape %}
