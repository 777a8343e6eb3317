document.getElementById('greeting').textContent += ' (served by Vite)';
