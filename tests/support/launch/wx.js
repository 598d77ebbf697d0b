// The `wx` object of the launch harness: every API of the platform an own, enumerable function
// (runtimes copy `wx` with `for…in`, as uni-app's initWx does), each recording its call and
// returning what the platform would. Callbacks and promise results run on the harness's clock,
// so two runs of the same program see the same answers in the same order.
'use strict';

// The platform's API names (developers.weixin.qq.com/miniprogram/dev/api/), grouped as the
// reference groups them. A name missing here is undefined, as an API the client lacks is.
const NAMES = `
  canIUse base64ToArrayBuffer arrayBufferToBase64 getSystemInfoSync getSystemInfo getSystemInfoAsync
  getWindowInfo getDeviceInfo getAppBaseInfo getSystemSetting getAppAuthorizeSetting getSkylineInfoSync
  getUpdateManager getLaunchOptionsSync getEnterOptionsSync onAppShow onAppHide offAppShow offAppHide
  onError offError onPageNotFound offPageNotFound onUnhandledRejection offUnhandledRejection
  onThemeChange offThemeChange onLazyLoadError offLazyLoadError onAudioInterruptionBegin
  onAudioInterruptionEnd getLogManager getRealtimeLogManager setEnableDebug nextTick
  switchTab reLaunch redirectTo navigateTo navigateBack showToast hideToast showModal showLoading
  hideLoading showActionSheet enableAlertBeforeUnload disableAlertBeforeUnload
  showNavigationBarLoading hideNavigationBarLoading setNavigationBarTitle setNavigationBarColor
  hideHomeButton setBackgroundTextStyle setBackgroundColor showTabBarRedDot showTabBar setTabBarStyle
  setTabBarItem setTabBarBadge removeTabBarBadge hideTabBarRedDot hideTabBar loadFontFace
  stopPullDownRefresh startPullDownRefresh pageScrollTo createAnimation setTopBarText
  onWindowResize offWindowResize getMenuButtonBoundingClientRect setWindowSize
  request downloadFile uploadFile connectSocket onSocketOpen onSocketMessage onSocketError onSocketClose
  sendSocketMessage closeSocket createTCPSocket createUDPSocket startLocalServiceDiscovery
  setStorageSync setStorage getStorageSync getStorage removeStorageSync removeStorage clearStorageSync
  clearStorage getStorageInfoSync getStorageInfo batchSetStorageSync batchGetStorageSync
  setBackgroundFetchToken getBackgroundFetchData onBackgroundFetchData createCanvasContext
  canvasToTempFilePath canvasGetImageData canvasPutImageData createOffscreenCanvas
  saveImageToPhotosAlbum previewImage previewMedia getImageInfo compressImage chooseImage chooseMedia
  chooseMessageFile chooseVideo saveVideoToPhotosAlbum getVideoInfo compressVideo createVideoContext
  createCameraContext createLivePlayerContext createLivePusherContext createMapContext
  createInnerAudioContext getBackgroundAudioManager setInnerAudioOption getAvailableAudioSources
  getRecorderManager startRecord stopRecord playVoice pauseVoice stopVoice createMediaContainer
  createWebAudioContext getFileSystemManager saveFile getSavedFileList getSavedFileInfo removeSavedFile
  openDocument getFileInfo openLocation getLocation getFuzzyLocation chooseLocation choosePoi
  startLocationUpdate startLocationUpdateBackground stopLocationUpdate onLocationChange offLocationChange
  shareToWeRun showShareMenu hideShareMenu updateShareMenu getShareInfo showShareImageMenu
  shareFileMessage shareVideoMessage authPrivateMessage login checkSession getUserInfo getUserProfile
  getAccountInfoSync authorize getSetting openSetting chooseAddress chooseInvoiceTitle chooseInvoice
  requestPayment requestOrderPayment requestSubscribeMessage requestSubscribeDeviceMessage
  getWeRunData navigateToMiniProgram navigateBackMiniProgram exitMiniProgram openEmbeddedMiniProgram
  openOfficialAccountArticle openOfficialAccountChat openOfficialAccountProfile openChannelsActivity
  openChannelsEvent openChannelsLive openChannelsUserProfile getChannelsLiveInfo getChannelsLiveNoticeInfo
  reserveChannelsLive openCustomerServiceChat openPrivacyContract getPrivacySetting requirePrivacyAuthorize
  onNeedPrivacyAuthorization checkIsAddedToMyMiniProgram openStoreOrderDetail shareToOfficialAccount
  addPhoneContact addCard openCard makePhoneCall scanCode sendSms setClipboardData getClipboardData
  getNetworkType onNetworkStatusChange offNetworkStatusChange getLocalIPAddress startWifi getConnectedWifi
  getScreenBrightness setScreenBrightness setKeepScreenOn onUserCaptureScreen vibrateShort vibrateLong
  onAccelerometerChange startAccelerometer stopAccelerometer onCompassChange startCompass stopCompass
  onDeviceMotionChange startDeviceMotionListening stopDeviceMotionListening onGyroscopeChange
  startGyroscope stopGyroscope onMemoryWarning getBatteryInfoSync getBatteryInfo onKeyboardHeightChange
  offKeyboardHeightChange hideKeyboard getSelectedTextRange openBluetoothAdapter closeBluetoothAdapter
  startBluetoothDevicesDiscovery createBLEConnection startSoterAuthentication checkIsSupportSoterAuthentication
  createSelectorQuery createIntersectionObserver createMediaQueryObserver createWorker
  createRewardedVideoAd createInterstitialAd preloadAssets preloadSkylineView preloadWebview
  reportAnalytics reportEvent reportMonitor reportPerformance getPerformance setPageStyle
  onBeforeAppRoute onAppRoute onAppRouteDone offAppRoute getRandomValues
`.split(/\s+/).filter(Boolean);

// Network APIs fail (the harness is offline); the others succeed with what a device answers.
const FAILS = new Set(['request', 'downloadFile', 'uploadFile', 'connectSocket', 'login', 'getLocation',
  'getFuzzyLocation', 'chooseLocation', 'requestPayment', 'getUserProfile', 'getUserInfo', 'chooseImage',
  'chooseMedia', 'chooseAddress', 'scanCode', 'getWeRunData', 'navigateToMiniProgram', 'getStorage']);

function systemInfo() {
  return {
    brand: 'iPhone', model: 'iPhone 13', pixelRatio: 3, screenWidth: 390, screenHeight: 844,
    windowWidth: 390, windowHeight: 844, statusBarHeight: 47, language: 'zh_CN', version: '8.0.50',
    system: 'iOS 16.0', platform: 'ios', fontSizeSetting: 16, SDKVersion: '3.6.0', benchmarkLevel: 1,
    theme: 'light', enableDebug: false, deviceOrientation: 'portrait', host: { env: 'WeChat' },
    safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
    screenTop: 0, albumAuthorized: true, cameraAuthorized: true, locationAuthorized: true,
    notificationAuthorized: true, locationEnabled: true, wifiEnabled: true, bluetoothEnabled: true,
  };
}

// makeWx(clock, record, stub, launchPath): `clock.later(fn)` runs fn after the current phase;
// `record(name, args)` sees each call; `stub()` is the everything-value for objects APIs return.
function makeWx({ clock, record, stub, launch }) {
  const storage = new Map();
  const sync = {
    canIUse: () => true,
    getSystemInfoSync: systemInfo, getWindowInfo: systemInfo, getDeviceInfo: systemInfo,
    getAppBaseInfo: systemInfo, getSystemSetting: systemInfo, getAppAuthorizeSetting: () => ({}),
    getSkylineInfoSync: () => ({ isSupported: false }),
    getLaunchOptionsSync: () => ({ ...launch }), getEnterOptionsSync: () => ({ ...launch }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 51, right: 383, bottom: 83, left: 296 }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'release', version: '1.0.0' }, plugin: {} }),
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => { storage.set(key, value); },
    removeStorageSync: (key) => { storage.delete(key); },
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: storage.size, limitSize: 10240 }),
    getBatteryInfoSync: () => ({ level: 80, isCharging: false }),
    arrayBufferToBase64: () => '', base64ToArrayBuffer: () => new ArrayBuffer(0),
    nextTick: (fn) => { clock.later(fn); },
    'cloud.init': () => undefined,
  };
  const results = {
    getSystemInfo: systemInfo, getSystemInfoAsync: systemInfo, getSetting: () => ({ authSetting: {} }),
    getNetworkType: () => ({ networkType: 'wifi' }), checkSession: () => ({}),
    getStorageInfo: () => sync.getStorageInfoSync(), getClipboardData: () => ({ data: '' }),
    getImageInfo: () => ({ width: 100, height: 100, path: 'wxfile://tmp', type: 'png' }),
  };
  function api(name) {
    return function (...args) {
      record(name, args);
      if (sync[name]) return sync[name](...args);
      const options = args[0];
      const callbacks = options && typeof options === 'object' &&
        ['success', 'fail', 'complete'].some((k) => typeof options[k] === 'function');
      const fails = FAILS.has(name) || name.startsWith('cloud.') ||
        (name === 'getStorage' && options && storage.has(options.key) === false);
      const answer = () => fails
        ? { errMsg: name + ':fail offline' }
        : { errMsg: name + ':ok', ...(results[name] ? results[name]() : {}) };
      if (callbacks) {
        clock.later(() => {
          const res = answer();
          if (fails && options.fail) options.fail(res);
          if (!fails && options.success) options.success(name === 'getStorage' ? { ...res, data: storage.get(options.key) } : res);
          if (options.complete) options.complete(res);
        });
        return stub();
      }
      // Sync-looking APIs that hand back an object (contexts, managers, tasks).
      if (/^(create|get\w*(Manager|Context))/.test(name) || /Sync$/.test(name)) return stub();
      if (/^(on|off)[A-Z]/.test(name)) return undefined;
      // Asynchronous APIs called without callbacks return a promise (base library >= 2.10.2).
      return clock.promise(answer(), fails);
    };
  }
  const target = {};
  for (const name of NAMES) target[name] = api(name);
  target.env = { USER_DATA_PATH: 'http://usr' };
  target.cloud = cloud(api, stub);
  return target;
}

// wx.cloud: init records; every call that reaches the cloud fails, as offline; a database query
// chains (collection().where().orderBy()...) until a call that sends it.
function cloud(api, stub) {
  const query = (path) => {
    const q = {};
    for (const m of ['where', 'orderBy', 'limit', 'skip', 'field', 'doc', 'aggregate', 'match', 'group', 'sort', 'project', 'lookup']) {
      q[m] = () => query(path);
    }
    for (const m of ['get', 'count', 'add', 'update', 'remove', 'set', 'end']) q[m] = api('cloud.database.' + m);
    q.watch = api('cloud.database.watch');
    return q;
  };
  const db = { collection: (name) => query(name), command: stub(), serverDate: () => stub(), RegExp: () => stub(), Geo: stub() };
  const c = { database: () => db, init: api('cloud.init') };
  for (const m of ['callFunction', 'uploadFile', 'downloadFile', 'getTempFileURL', 'deleteFile', 'callContainer', 'connectContainer']) {
    c[m] = api('cloud.' + m);
  }
  c.Cloud = function () { return c; };
  return c;
}

module.exports = { makeWx, systemInfo };
