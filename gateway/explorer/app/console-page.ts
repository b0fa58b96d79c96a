import './console.css';
console.log('console placeholder');
