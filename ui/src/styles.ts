import { css } from 'lit';

export const shared = css`
  :host { display: block; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e6ec; white-space: nowrap; }
  th { font-weight: 600; color: #4a5263; background: #f0f2f5; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  h2 { font-size: 16px; margin: 16px 0 8px; }
  button { font: inherit; padding: 3px 10px; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; cursor: pointer; }
  button:hover { background: #eef2f8; }
  button.primary { background: #2563eb; border-color: #2563eb; color: #fff; }
  button:disabled { opacity: .5; cursor: default; }
  input, select, textarea { font: inherit; padding: 4px 6px; border: 1px solid #b8c0cc; border-radius: 4px; }
  .error { color: #b42318; }
  .muted { color: #6b7280; }
  .card { background: #fff; border: 1px solid #e3e6ec; border-radius: 6px; padding: 12px 16px; margin-bottom: 12px; }
  .state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e5e7eb; }
  .state.ready { background: #d1fae5; color: #065f46; }
  .state.on-call { background: #dbeafe; color: #1e40af; }
  .state.reserved { background: #fef3c7; color: #92400e; }
  .state.wrap-up { background: #ede9fe; color: #5b21b6; }
  .state.paused { background: #fee2e2; color: #991b1b; }
`;
