// China number plan as data: mobile prefixes by carrier and the fixed-line
// area codes of the major cities. Tables, not code: a new prefix or city is a
// new row.

export interface Carrier { en: string; zh: string }

export const CARRIERS = {
  mobile: { en: 'China Mobile', zh: '中国移动' },
  unicom: { en: 'China Unicom', zh: '中国联通' },
  telecom: { en: 'China Telecom', zh: '中国电信' },
  broadnet: { en: 'China Broadnet', zh: '中国广电' },
  mvno: { en: 'Virtual operator', zh: '虚拟运营商' },
} as const satisfies Record<string, Carrier>;
export type CarrierId = keyof typeof CARRIERS;

// First three digits of an 11-digit mobile number.
export const MOBILE_PREFIXES: Record<string, CarrierId> = {
  130: 'unicom', 131: 'unicom', 132: 'unicom', 133: 'telecom', 134: 'mobile', 135: 'mobile', 136: 'mobile', 137: 'mobile', 138: 'mobile', 139: 'mobile',
  145: 'unicom', 147: 'mobile', 149: 'telecom',
  150: 'mobile', 151: 'mobile', 152: 'mobile', 153: 'telecom', 155: 'unicom', 156: 'unicom', 157: 'mobile', 158: 'mobile', 159: 'mobile',
  162: 'mvno', 165: 'mvno', 166: 'unicom', 167: 'mvno',
  170: 'mvno', 171: 'mvno', 172: 'mobile', 173: 'telecom', 175: 'unicom', 176: 'unicom', 177: 'telecom', 178: 'mobile',
  180: 'telecom', 181: 'telecom', 182: 'mobile', 183: 'mobile', 184: 'mobile', 185: 'unicom', 186: 'unicom', 187: 'mobile', 188: 'mobile', 189: 'telecom',
  190: 'telecom', 191: 'telecom', 192: 'broadnet', 193: 'telecom', 195: 'mobile', 196: 'unicom', 197: 'mobile', 198: 'mobile', 199: 'telecom',
};

export interface AreaCode { city: string; cityZh: string; province: string; provinceZh: string }

const a = (city: string, cityZh: string, province: string, provinceZh: string): AreaCode => ({ city, cityZh, province, provinceZh });

// Area codes with their trunk prefix 0. Two-digit codes (010, 02x) first.
export const AREA_CODES: Record<string, AreaCode> = {
  '010': a('Beijing', '北京', 'Beijing', '北京'),
  '020': a('Guangzhou', '广州', 'Guangdong', '广东'),
  '021': a('Shanghai', '上海', 'Shanghai', '上海'),
  '022': a('Tianjin', '天津', 'Tianjin', '天津'),
  '023': a('Chongqing', '重庆', 'Chongqing', '重庆'),
  '024': a('Shenyang', '沈阳', 'Liaoning', '辽宁'),
  '025': a('Nanjing', '南京', 'Jiangsu', '江苏'),
  '027': a('Wuhan', '武汉', 'Hubei', '湖北'),
  '028': a('Chengdu', '成都', 'Sichuan', '四川'),
  '029': a("Xi'an", '西安', 'Shaanxi', '陕西'),
  '0311': a('Shijiazhuang', '石家庄', 'Hebei', '河北'),
  '0351': a('Taiyuan', '太原', 'Shanxi', '山西'),
  '0371': a('Zhengzhou', '郑州', 'Henan', '河南'),
  '0411': a('Dalian', '大连', 'Liaoning', '辽宁'),
  '0431': a('Changchun', '长春', 'Jilin', '吉林'),
  '0451': a('Harbin', '哈尔滨', 'Heilongjiang', '黑龙江'),
  '0471': a('Hohhot', '呼和浩特', 'Inner Mongolia', '内蒙古'),
  '0510': a('Wuxi', '无锡', 'Jiangsu', '江苏'),
  '0512': a('Suzhou', '苏州', 'Jiangsu', '江苏'),
  '0531': a('Jinan', '济南', 'Shandong', '山东'),
  '0532': a('Qingdao', '青岛', 'Shandong', '山东'),
  '0551': a('Hefei', '合肥', 'Anhui', '安徽'),
  '0571': a('Hangzhou', '杭州', 'Zhejiang', '浙江'),
  '0574': a('Ningbo', '宁波', 'Zhejiang', '浙江'),
  '0577': a('Wenzhou', '温州', 'Zhejiang', '浙江'),
  '0591': a('Fuzhou', '福州', 'Fujian', '福建'),
  '0592': a('Xiamen', '厦门', 'Fujian', '福建'),
  '0731': a('Changsha', '长沙', 'Hunan', '湖南'),
  '0754': a('Shantou', '汕头', 'Guangdong', '广东'),
  '0755': a('Shenzhen', '深圳', 'Guangdong', '广东'),
  '0756': a('Zhuhai', '珠海', 'Guangdong', '广东'),
  '0757': a('Foshan', '佛山', 'Guangdong', '广东'),
  '0760': a('Zhongshan', '中山', 'Guangdong', '广东'),
  '0769': a('Dongguan', '东莞', 'Guangdong', '广东'),
  '0771': a('Nanning', '南宁', 'Guangxi', '广西'),
  '0791': a('Nanchang', '南昌', 'Jiangxi', '江西'),
  '0851': a('Guiyang', '贵阳', 'Guizhou', '贵州'),
  '0871': a('Kunming', '昆明', 'Yunnan', '云南'),
  '0891': a('Lhasa', '拉萨', 'Tibet', '西藏'),
  '0898': a('Haikou', '海口', 'Hainan', '海南'),
  '0931': a('Lanzhou', '兰州', 'Gansu', '甘肃'),
  '0951': a('Yinchuan', '银川', 'Ningxia', '宁夏'),
  '0971': a('Xining', '西宁', 'Qinghai', '青海'),
  '0991': a('Urumqi', '乌鲁木齐', 'Xinjiang', '新疆'),
};

// Short numbers that are not subscribers.
export const SPECIAL_NUMBERS: Record<string, string> = {
  110: 'police', 119: 'fire', 120: 'ambulance', 122: 'traffic police', 12345: 'government hotline',
  10086: 'China Mobile service', 10010: 'China Unicom service', 10000: 'China Telecom service',
};
