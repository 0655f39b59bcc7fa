// Service worker of an offline phone page (jmzhgd/core/offline_app.py, docs/offline-collection.md §2):
// the page opens with no connection. Static assets: from the cache first (their names change with
// their content). The page and the lookups it names (NETWORK_FIRST): from the network, falling back
// to the copy kept the last time. Uploads (POST) are never touched: the page's queue sends them.
"use strict";
var CACHE = {{ cache_name|safe }};
var CACHE_PREFIX = {{ cache_prefix|safe }};
var PRECACHE = {{ precache|safe }};
var PAGE = {{ page|safe }};
var NETWORK_FIRST = {{ network_first|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(PRECACHE); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request, key) {
  return fetch(request).then(function (response) {
    // A redirect (to the login page) or an error is not the page: the kept copy stays.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (hit) {
      return hit || new Response("离线：尚无缓存。", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === PAGE) {
    event.respondWith(networkFirst(request, PAGE));
  } else if (NETWORK_FIRST.indexOf(url.pathname) !== -1) {
    event.respondWith(networkFirst(request, url.pathname + url.search));
  } else if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
  }
});
