// Runs first, before the body renders, so GOV.UK Frontend's JavaScript-only
// styles apply without a flash. Kept in a file because CSP forbids inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
