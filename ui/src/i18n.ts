// Chinese and English. The language comes from localStorage, else from the
// browser; components re-render on the 'hotline-lang' event.

const en = {
  title: 'Hotline',
  setupTitle: 'First start: choose the admin password',
  setupIntro: 'There is no default password. Choose the password of the admin account.',
  signInTitle: 'Sign in',
  username: 'User name',
  password: 'Password',
  passwordAgain: 'Password again',
  passwordsDiffer: 'The two passwords differ',
  tooShort: 'At least {n} characters',
  createAdmin: 'Create admin and sign in',
  signIn: 'Sign in',
  signOut: 'Sign out',
  loading: 'Loading…',
  disconnected: 'Connection lost: reconnecting…',
  wallboard: 'Wallboard',
  console: 'Agent console',
  config: 'Configuration',
  queues: 'Queues',
  agents: 'Agents',
  queue: 'Queue',
  waiting: 'Waiting',
  longestWait: 'Longest wait',
  loggedIn: 'Logged in',
  byState: 'Agents by state',
  offered: 'Offered',
  answered: 'Answered',
  abandoned: 'Abandoned',
  serviceLevel: 'Service level',
  asa: 'ASA',
  aht: 'AHT',
  agent: 'Agent',
  name: 'Name',
  ext: 'Ext.',
  state: 'State',
  reason: 'Reason',
  inState: 'In state',
  calls: 'Calls',
  talkTime: 'Talk time',
  actions: 'Actions',
  pause: 'Pause',
  resume: 'Resume',
  logIn: 'Log in',
  logOut: 'Log out',
  hangUp: 'Hang up',
  recentCalls: 'Recent calls',
  time: 'Time',
  caller: 'Caller',
  callerName: 'Caller name',
  callee: 'Called',
  direction: 'Direction',
  disposition: 'Result',
  wait: 'Wait',
  talk: 'Talk',
  noAgentForUser: 'No agent matches your account ({name}). Ask an admin to name your user after your agent number.',
  myState: 'My state',
  stateReadOnly: 'Your state is set from your phone (*45 log in, *47 pause, *48 ready, *46 log out) or by a supervisor.',
  currentCall: 'Current call',
  noCall: 'No call right now.',
  knownCustomer: 'Customer',
  newCustomer: 'New customer',
  company: 'Company',
  address: 'Address',
  region: 'Region',
  save: 'Save',
  saved: 'Saved',
  history: 'Call history',
  validate: 'Check',
  valid: 'Valid',
  invalidJson: 'Not valid JSON: {msg}',
  kind: 'Kind',
  document: 'Document',
  choose: 'Choose a document on the left.',
  'state.logged-out': 'Logged out',
  'state.ready': 'Ready',
  'state.reserved': 'Ringing',
  'state.on-call': 'On call',
  'state.wrap-up': 'Wrap-up',
  'state.paused': 'Not ready',
  'kind.queue': 'Queues',
  'kind.agent': 'Agents',
  'kind.extension': 'Extensions',
  'kind.ivr': 'IVRs',
  'dir.inbound': 'In',
  'dir.outbound': 'Out',
  'dir.internal': 'Internal',
  'disp.in_progress': 'In progress',
  'disp.answered': 'Answered',
  'disp.no_answer': 'No answer',
  'disp.busy': 'Busy',
  'disp.failed': 'Failed',
  'disp.abandoned': 'Abandoned',
  'disp.blocked': 'Blocked',
  'disp.voicemail': 'Voicemail',
  'disp.ivr': 'IVR',
  'disp.interrupted': 'Interrupted',
  'disp.callback': 'Callback',
  'region.mobile': 'Mobile',
  'region.local': 'Local',
  'region.service': 'Service number',
  'region.special': 'Special number',
  'region.international': 'International',
  language: '中文',
};

export type StringKey = keyof typeof en;

const zh: Record<StringKey, string> = {
  title: 'Hotline 呼叫中心',
  setupTitle: '首次启动：设置管理员密码',
  setupIntro: '系统没有默认密码，请为管理员账号设置密码。',
  signInTitle: '登录',
  username: '用户名',
  password: '密码',
  passwordAgain: '再次输入密码',
  passwordsDiffer: '两次输入的密码不一致',
  tooShort: '至少 {n} 个字符',
  createAdmin: '创建管理员并登录',
  signIn: '登录',
  signOut: '退出',
  loading: '加载中…',
  disconnected: '连接已断开，正在重连…',
  wallboard: '监控墙',
  console: '坐席工作台',
  config: '配置',
  queues: '队列',
  agents: '坐席',
  queue: '队列',
  waiting: '排队',
  longestWait: '最长等待',
  loggedIn: '已签入',
  byState: '坐席状态',
  offered: '进线',
  answered: '接听',
  abandoned: '放弃',
  serviceLevel: '服务水平',
  asa: '平均应答',
  aht: '平均处理',
  agent: '坐席',
  name: '姓名',
  ext: '分机',
  state: '状态',
  reason: '原因',
  inState: '持续',
  calls: '通话数',
  talkTime: '通话时长',
  actions: '操作',
  pause: '示忙',
  resume: '示闲',
  logIn: '签入',
  logOut: '签出',
  hangUp: '强拆',
  recentCalls: '最近通话',
  time: '时间',
  caller: '主叫',
  callerName: '主叫姓名',
  callee: '被叫',
  direction: '方向',
  disposition: '结果',
  wait: '等待',
  talk: '通话',
  noAgentForUser: '没有与您的账号（{name}）对应的坐席。请管理员把用户名设为您的坐席工号。',
  myState: '我的状态',
  stateReadOnly: '状态由话机设置（*45 签入，*47 示忙，*48 示闲，*46 签出）或由班长设置。',
  currentCall: '当前通话',
  noCall: '当前没有通话。',
  knownCustomer: '客户',
  newCustomer: '新客户',
  company: '公司',
  address: '地址',
  region: '归属地',
  save: '保存',
  saved: '已保存',
  history: '通话记录',
  validate: '校验',
  valid: '校验通过',
  invalidJson: 'JSON 格式错误：{msg}',
  kind: '类别',
  document: '文档',
  choose: '请在左侧选择一个文档。',
  'state.logged-out': '已签出',
  'state.ready': '空闲',
  'state.reserved': '振铃',
  'state.on-call': '通话中',
  'state.wrap-up': '话后处理',
  'state.paused': '示忙',
  'kind.queue': '队列',
  'kind.agent': '坐席',
  'kind.extension': '分机',
  'kind.ivr': '语音导航',
  'dir.inbound': '呼入',
  'dir.outbound': '呼出',
  'dir.internal': '内部',
  'disp.in_progress': '进行中',
  'disp.answered': '已接听',
  'disp.no_answer': '未接',
  'disp.busy': '忙',
  'disp.failed': '失败',
  'disp.abandoned': '放弃',
  'disp.blocked': '已拦截',
  'disp.voicemail': '语音信箱',
  'disp.ivr': '语音导航',
  'disp.interrupted': '中断',
  'disp.callback': '回拨',
  'region.mobile': '手机',
  'region.local': '本地',
  'region.service': '服务号码',
  'region.special': '特服号码',
  'region.international': '国际',
  language: 'English',
};

export type Lang = 'en' | 'zh';
const TABLES: Record<Lang, Record<StringKey, string>> = { en, zh };
const KEY = 'hotline.lang';

function initial(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch { /* storage may be off */ }
  return /^zh\b/i.test(navigator.language) ? 'zh' : 'en';
}

let lang: Lang = initial();
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

export const currentLang = (): Lang => lang;

export function setLang(l: Lang): void {
  lang = l;
  try { localStorage.setItem(KEY, l); } catch { /* ignore */ }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  window.dispatchEvent(new CustomEvent('hotline-lang', { detail: l }));
}

export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return TABLES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

// A key built at run time (state.ready, disp.answered); the raw value if unknown.
export function tOr(key: string, fallback: string): string {
  return (TABLES[lang] as Record<string, string>)[key] ?? fallback;
}

export function duration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '–';
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(2, '0'), rr = String(r).padStart(2, '0');
  return h ? `${h}:${mm}:${rr}` : `${m}:${rr}`;
}

export function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}
