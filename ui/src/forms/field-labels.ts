// Field labels: the schema's key humanised in English ("callWaiting" → "Call
// waiting"), and in Chinese for the fields admins meet most.
import { currentLang } from '../i18n.js';
import { humanise } from './schema-model.js';

const ZH: Record<string, string> = {
  id: '编号', ext: '分机号', name: '名称', port: '端口', ports: '端口', cos: '呼出权限', recording: '录音',
  language: '语言', callWaiting: '呼叫等待', dnd: '免打扰', ringSec: '振铃时长（秒）', forward: '呼叫转移',
  always: '无条件转移', busy: '遇忙转移', noAnswer: '无应答转移', followMe: '跟随', enabled: '启用', numbers: '号码',
  pickupGroup: '代答组', voicemail: '语音信箱', pin: '密码', email: '邮箱', emails: '邮箱', attachAudio: '邮件附带录音',
  callerId: '来电显示', disconnect: '挂机检测', answerSupervision: '应答监视', dialMode: '拨号方式', ani: '主叫号码',
  r2: 'R2 信令', variant: '信令变体', dnisDigits: '被叫号码位数', askAni: '索要主叫号码', category: '主叫用户类别',
  members: '成员', agent: '坐席', penalty: '优先级罚分', strategy: '分配策略', weight: '权重', skills: '技能',
  number: '号码', music: '等待音乐', announce: '播报', entry: '进队提示音', positionEverySec: '位置播报间隔（秒）',
  estimatedWait: '播报预计等待', maxWaitSec: '最长等待（秒）', maxLength: '最多排队人数', joinEmpty: '无坐席时可进队',
  leaveWhenEmpty: '无坐席时离队', overflow: '溢出', maxWait: '超时', noAgents: '无坐席', serviceLevel: '服务水平',
  callback: '回呼', key: '按键', trunk: '中继', exitKeys: '退出按键', wrapUpSec: '话后处理（秒）',
  retrySec: '重试间隔（秒）', progressiveSec: '逐个振铃间隔（秒）', autoPauseAfter: '连续未接后示忙',
  stickySec: '熟客优先时长（秒）', serviceLevelSec: '服务水平时限（秒）', skillWidenSec: '技能放宽间隔（秒）',
  autoLogin: '自动签入', user: '面板用户', type: '类型', queue: '队列', menu: '菜单', box: '信箱', prompt: '提示音',
  then: '然后', trunks: '中继', did: '被叫号码模式', callerPattern: '主叫号码模式', priority: '优先级',
  destination: '目的地', timeCondition: '时间条件', byState: '按状态的目的地', patterns: '号码模式',
  stripDigits: '删除前缀位数', prepend: '添加前缀', minClass: '所需呼出权限', operator: '总机分机', zone: '地区音调',
  interDigitMs: '拨号间隔（毫秒）', recordStereo: '双声道录音', park: '呼叫停泊', first: '起始号', count: '数量',
  timeoutSec: '超时（秒）', featureCodes: '功能码', maxMessageSec: '留言最长（秒）', retentionDays: '保留天数',
  storage: '存储', recordingRetentionDays: '录音保留天数', minFreeMb: '最小剩余空间（MB）', acd: '排队分配',
  pauseReasons: '示忙原因', pauseLimitSec: '示忙时限（秒）', supervisors: '班长', may: '允许操作', queues: '队列',
  smtp: '邮件服务器', host: '主机', secure: '加密连接', pass: '密码', from: '发件人',
};

export function fieldLabel(key: string): string {
  return currentLang() === 'zh' ? ZH[key] ?? humanise(key) : humanise(key);
}
