// The print view ("In") opens the browser's print dialog once loaded.
window.addEventListener('load', function () { window.print(); });
