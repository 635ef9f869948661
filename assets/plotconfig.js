/* Every plot's toolbar (plotly.js's mode bar) gets a button that downloads the plot as an SVG,
 * beside plotly.js's own PNG button: a vector picture stays sharp on a slide.
 *
 * A mode-bar button needs a click function, which a Dash property (plain JSON) cannot carry, so
 * the button is made a default of every plot with Plotly.setPlotConfig. plotly.js (the partial
 * bundle assets/vendor/plotly-basic.min.js) is a page script after this one; this listener hears
 * its "load" event while it travels down to the tag (capture), before any graph is drawn, so even
 * the first plot has the button. The tooltip is the plot config's own text for the plot's
 * language (views/common.py, locale_config), under the key SVG_TITLE, which the page config
 * gives (dashboard/views/pagenames.py).
 */
(function () {
    'use strict';

    var SVG_TITLE = (window.activationPlayground.config().views || {}).svgTitle;

    // An arrow down into a tray, in a 1000 x 1000 box.
    var ICON = {
        width: 1000,
        height: 1000,
        path: 'M440 80H560V470H720L500 720L280 470H440Z' +
            'M90 640H200V820H800V640H910V930H90Z'
    };

    function tooltip(gd) {
        var config = gd._context || {};  // the plot's config, as plotly.js holds it
        var locale = (config.locales || {})[config.locale] || {};
        return (locale.dictionary || {})[SVG_TITLE] || 'SVG';
    }

    function download(gd) {
        var options = Object.assign({}, (gd._context || {}).toImageButtonOptions, {format: 'svg'});
        return window.Plotly.downloadImage(gd, options);
    }

    var BUTTON = {name: 'downloadSvg', title: tooltip, icon: ICON, click: download};

    function configure() {
        window.Plotly.setPlotConfig({modeBarButtonsToAdd: [BUTTON]});
    }

    if (window.Plotly) {
        configure();
        return;
    }
    document.addEventListener('load', function loaded(event) {
        if (event.target.tagName === 'SCRIPT' && window.Plotly) {
            document.removeEventListener('load', loaded, true);
            configure();
        }
    }, true);
})();
