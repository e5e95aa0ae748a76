// Runs the kernels of kernels/rnn.cu on the CPU, one thread per block (a shim maps the CUDA
// built-ins to globals), against native/cpu/cells.c and plain loops. The cell steps of both
// evaluate kernels/cell_math.h, so they must agree to the bit: what differs is how each walks the
// rows and units, masks padding and lays out the workspace. The other kernels are checked against
// plain loops. Not a substitute for the GPU parity tests (no warps, no shared-memory races, no
// FMA contraction). Run by check.sh.
#include "shim.h"
#include "rnn_host.cu"
extern "C" {
#define JNIEXPORT
#define JNICALL
typedef void JNIEnv; typedef void *jclass; typedef int jint; typedef long long jlong;
}
#define jni_h_included
#include "cells_host.h"
#include <stdio.h>
#include <stdlib.h>
#include <vector>
#include <string.h>
#include <cmath>
static unsigned long long seed = 42;
static float rnd() { seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; return ((seed >> 40) / (float)(1 << 24)) * 4.f - 2.f; }
static std::vector<float> R(size_t n) { std::vector<float> v(n); for (auto &x : v) x = rnd(); return v; }
static double err(const std::vector<float> &a, const std::vector<float> &b) { double n=0,d=0; for (size_t i=0;i<a.size();i++){double e=(double)a[i]-b[i]; n+=e*e; d+=(double)b[i]*b[i];} return d==0?sqrt(n):sqrt(n/d); }
static void rep(const char *w, double e) { printf("%-28s %.3g %s\n", w, e, e <= 1e-6 ? "ok" : "MISMATCH"); }
// The same element math on the same compiler: any difference is a bug in the walk around it.
static void exact(const char *w, double e) { printf("%-28s %.3g %s\n", w, e, e == 0 ? "ok" : "MISMATCH"); }
int main() {
  int shapes[][2] = {{1,1},{3,5},{37,17},{64,128}};
  for (auto &s : shapes) {
    int B = s[0], H = s[1], ldo = 2*H+1;
    std::vector<float> mask(B); for (int b=0;b<B;b++) mask[b] = b%3==1 ? 0.f : 1.f;
    // LSTM
    auto xp=R(B*4*H), hp=R(B*4*H), bi=R(4*H), bh=R(4*H), h0=R(B*H), c0=R(B*H);
    std::vector<float> h1a(B*H), c1a(B*H), oa(B*ldo), wa(B*4*H), h1b(B*H), c1b(B*H), ob(B*ldo), wb(B*4*H);
    lstmForward(B,H,xp.data(),hp.data(),bi.data(),bh.data(),mask.data(),h0.data(),c0.data(),h1a.data(),c1a.data(),oa.data(),ldo,wa.data());
    lstm_forward(B,H,xp.data(),hp.data(),bi.data(),bh.data(),mask.data(),h0.data(),c0.data(),h1b.data(),c1b.data(),ob.data(),ldo,wb.data());
    exact("lstm fwd h", err(h1a,h1b)); exact("lstm fwd c", err(c1a,c1b)); exact("lstm fwd out", err(oa,ob));
    for (int withOut = 0; withOut < 2; withOut++) {
      auto dO=R(B*ldo), dh=R(B*H), dc=R(B*H); auto dh2=dh, dc2=dc; std::vector<float> dga(B*4*H), dgb(B*4*H);
      lstmBackward(B,H,wb.data(),mask.data(),c0.data(),c1b.data(),withOut?dO.data():nullptr,ldo,dh.data(),dc.data(),dga.data());
      lstm_backward(B,H,wb.data(),mask.data(),c0.data(),c1b.data(),withOut?dO.data():nullptr,ldo,dh2.data(),dc2.data(),dgb.data());
      exact("lstm bwd dh", err(dh,dh2)); exact("lstm bwd dc", err(dc,dc2)); exact("lstm bwd dG", err(dga,dgb));
    }
    // GRU
    auto gx=R(B*3*H), gh=R(B*3*H), gbi=R(3*H), gbh=R(3*H);
    std::vector<float> gha(B*H), goa(B*ldo), gwa(B*4*H), ghb(B*H), gob(B*ldo), gwb(B*4*H);
    gruForward(B,H,gx.data(),gh.data(),gbi.data(),gbh.data(),mask.data(),h0.data(),gha.data(),goa.data(),ldo,gwa.data());
    gru_forward(B,H,gx.data(),gh.data(),gbi.data(),gbh.data(),mask.data(),h0.data(),ghb.data(),gob.data(),ldo,gwb.data());
    exact("gru fwd h", err(gha,ghb)); exact("gru fwd out", err(goa,gob));
    for (int withOut = 0; withOut < 2; withOut++) {
      auto dO=R(B*ldo), dh=R(B*H); auto dh2=dh; std::vector<float> dia(B*3*H), dra(B*3*H), dib(B*3*H), drb(B*3*H);
      gruBackward(B,H,gwb.data(),mask.data(),h0.data(),withOut?dO.data():nullptr,ldo,dh.data(),dia.data(),dra.data());
      gru_backward(B,H,gwb.data(),mask.data(),h0.data(),withOut?dO.data():nullptr,ldo,dh2.data(),dib.data(),drb.data());
      exact("gru bwd dh", err(dh,dh2)); exact("gru bwd dIh", err(dia,dib)); exact("gru bwd dHh", err(dra,drb));
    }
    // RNN
    auto rx=R(B*H), rh=R(B*H), rbi=R(H), rbh=R(H);
    std::vector<float> rha(B*H), roa(B*ldo), rhb(B*H), rob(B*ldo);
    rnnTanhForward(B,H,rx.data(),rh.data(),rbi.data(),rbh.data(),mask.data(),h0.data(),rha.data(),roa.data(),ldo);
    rnn_forward(B,H,rx.data(),rh.data(),rbi.data(),rbh.data(),mask.data(),h0.data(),rhb.data(),rob.data(),ldo);
    exact("rnn fwd h", err(rha,rhb)); exact("rnn fwd out", err(roa,rob));
    for (int withOut = 0; withOut < 2; withOut++) {
      auto dO=R(B*ldo), dh=R(B*H); auto dh2=dh; std::vector<float> dga(B*H), dgb(B*H);
      rnnTanhBackward(B,H,mask.data(),rhb.data(),withOut?dO.data():nullptr,ldo,dh.data(),dga.data());
      rnn_backward(B,H,mask.data(),rhb.data(),withOut?dO.data():nullptr,ldo,dh2.data(),dgb.data());
      exact("rnn bwd dh", err(dh,dh2)); exact("rnn bwd dG", err(dga,dgb));
    }
  }
  // Reductions and elementwise with one thread (blockDim 1).
  { int rows=37, cols=5; auto p=R(rows*cols), t=R(rows*cols); std::vector<float> w(rows); for(int r=0;r<rows;r++) w[r]= r%4==0?0.f:1.f;
    std::vector<double> part(2), out(2);
    mseLossPartials(rows,cols,p.data(),t.data(),w.data(),part.data()); sumPartials(part.data(),1,2,out.data());
    double tot=0, ws=0; for(int r=0;r<rows;r++){ if(!w[r]) continue; for(int c=0;c<cols;c++){double e=(double)p[r*cols+c]-t[r*cols+c]; tot+=w[r]*e*e;} ws+=w[r]; }
    rep("mse loss", fabs(out[0]/(out[1]*cols) - tot/(ws*cols))/(tot/(ws*cols)));
    double wt; weightSum(rows,w.data(),&wt); std::vector<float> g(rows*cols); mseLossBackward(rows,cols,p.data(),t.data(),w.data(),0.5f,&wt,g.data());
    std::vector<float> ge(rows*cols); for(int r=0;r<rows;r++) for(int c=0;c<cols;c++) ge[r*cols+c]=(float)(2.0*0.5/(ws*cols)*w[r]*((double)p[r*cols+c]-t[r*cols+c]));
    rep("mse backward", err(g,ge));
    auto x=R(1001); double ss; sumSquaresPartials(x.data(),1001,part.data()); sumPartials(part.data(),1,1,&ss);
    double se=0; for(float v: x) se+=(double)v*v; rep("sumSquares", fabs(ss-se)/se);
    int d0=3,d1=4,in=2; auto src=R(d0*d1*in); std::vector<float> dst(d0*d1*in), de(d0*d1*in);
    transpose01(d0,d1,in,src.data(),dst.data());
    for(int i=0;i<d0;i++) for(int j=0;j<d1;j++) for(int k=0;k<in;k++) de[(j*d0+i)*in+k]=src[(i*d1+j)*in+k];
    rep("transpose01", err(dst,de));
    int sh[][2] = {{1,1},{37,5},{1000,33},{7168,64}};
    for (auto &q : sh) {
      int rows=q[0], cols=q[1], ld=cols+3; auto m=R(rows*ld); auto d0=R(cols); auto d1=d0;
      int chunks = rows/256 > 0 ? rows/256 : 1; int rpc=(rows+chunks-1)/chunks; chunks=(rows+rpc-1)/rpc;
      std::vector<double> part((size_t)chunks*cols);
      for (unsigned by=0; by<(unsigned)chunks; by++) for (unsigned bx=0; bx<(unsigned)cols; bx++) { blockIdx.x=bx; blockIdx.y=by; columnSumPartials(rows,cols,m.data(),ld,rpc,part.data()); }
      blockIdx.x=0; blockIdx.y=0;
      addColumnPartials(chunks,cols,part.data(),d1.data());
      std::vector<float> de(cols); for(int j=0;j<cols;j++){ double t=0; for(int r=0;r<rows;r++) t+=m[(size_t)r*ld+j]; de[j]=(float)((double)d0[j]+t);} 
      rep("columnSums", err(d1,de));
    }
  }
  // Max pooling + leaky ReLU against plain loops: gapped, exact and overlapping windows, with ties
  // (values rounded to quarters) so that "the first maximum" is tested.
  int pools[][4] = {{23,7,3,3},{17,5,4,2},{12,9,2,3},{40,3,10,10}};  // inSteps, rows, pool, stride
  for (auto &q : pools) {
    int T=q[0], rows=q[1], pool=q[2], stride=q[3], P=(T-pool)/stride+1; float slope=0.3f;
    auto in=R(T*rows); for (auto &v : in) v = roundf(v*4)/4;
    auto dOut=R(P*rows); std::vector<float> out(P*rows), oute(P*rows), dIn(T*rows), dIne(T*rows, 0.f);
    maxPoolLeakyRelu(P,rows,pool,stride,slope,in.data(),out.data());
    maxPoolLeakyReluBackward(T,P,rows,pool,stride,slope,in.data(),dOut.data(),dIn.data());
    for (int p=0;p<P;p++) for (int r=0;r<rows;r++) {
      int best=p*stride; for (int i=1;i<pool;i++) if (in[(p*stride+i)*rows+r] > in[best*rows+r]) best=p*stride+i;
      float m=in[best*rows+r]; oute[p*rows+r]= m>0 ? m : slope*m;
      dIne[best*rows+r] += m>0 ? dOut[p*rows+r] : slope*dOut[p*rows+r];
    }
    exact("maxPoolLeakyRelu", err(out,oute)); exact("maxPoolLeakyRelu backward", err(dIn,dIne));
  }
  // DEC / IDEC soft clustering against plain loops written like CpuSoftAssignment (double sums).
  int dec[][4] = {{1,1,1,10},{37,3,8,10},{200,7,5,25}};  // n, k, d, 10·alpha
  for (auto &t : dec) {
    int n=t[0], k=t[1], d=t[2]; float alpha=t[3]/10.f; double a=alpha;
    auto z=R(n*d), mu=R(k*d); std::vector<float> q(n*k), qe(n*k), p(n*k), pe(n*k);
    auto kern=[&](double dist){ return a==1.0 ? 1.0/(1.0+dist) : pow(1.0+dist/a, -(a+1.0)/2.0); };
    auto dist=[&](int i,int j){ double s=0; for(int c=0;c<d;c++){ double e=(double)z[i*d+c]-mu[j*d+c]; s+=e*e;} return s; };
    for(int i=0;i<n;i++){ double s=0; std::vector<double> r(k); for(int j=0;j<k;j++){ r[j]=kern(dist(i,j)); s+=r[j]; } for(int j=0;j<k;j++) qe[i*k+j]=(float)(r[j]/s); }
    studentTAssign(n,k,d,alpha,z.data(),mu.data(),q.data());
    rep("studentTAssign", err(q,qe));
    std::vector<double> f(k), fe(k,0.0);
    for(unsigned j=0;j<(unsigned)k;j++){ blockIdx.x=j; decFrequencies(n,k,qe.data(),f.data()); }
    blockIdx.x=0;
    decTarget(n,k,qe.data(),f.data(),p.data());
    for(int i=0;i<n;i++) for(int j=0;j<k;j++) fe[j]+=qe[i*k+j];
    for(int i=0;i<n;i++){ double s=0; std::vector<double> r(k); for(int j=0;j<k;j++){ double v=qe[i*k+j]; r[j]=fe[j]>0?v*v/fe[j]:0; s+=r[j]; } for(int j=0;j<k;j++) pe[i*k+j]=(float)(s>0?r[j]/s:1.0/k); }
    rep("decTarget", err(p,pe));
    double part=0; klPartials((long long)n*k, pe.data(), qe.data(), &part);
    double kle=0; for(int e=0;e<n*k;e++) if(pe[e]>0) kle+=pe[e]*log((double)pe[e]/qe[e]);
    rep("klPartials", fabs(part-kle)/(fabs(kle) > 1e-12 ? fabs(kle) : 1.0));
    float scale=0.7f; auto dz=R(n*d), dmu=R(k*d); auto dze=dz, dmue=dmu;
    decBackwardZ(n,k,d,alpha,scale,z.data(),mu.data(),qe.data(),pe.data(),dz.data());
    for(unsigned b=0;b<(unsigned)(k*d);b++){ blockIdx.x=b; decBackwardMu(n,k,d,alpha,scale,z.data(),mu.data(),qe.data(),pe.data(),dmu.data()); }
    blockIdx.x=0;
    double factor=(double)scale*(a+1)/(a*n); std::vector<double> dM(k*d,0.0);
    for(int i=0;i<n;i++){ std::vector<double> dZ(d,0.0); for(int j=0;j<k;j++){ double w=1/(1+dist(i,j)/a); double g=factor*w*((double)pe[i*k+j]-qe[i*k+j]); for(int c=0;c<d;c++){ double df=g*((double)z[i*d+c]-mu[j*d+c]); dZ[c]+=df; dM[j*d+c]-=df; } } for(int c=0;c<d;c++) dze[i*d+c]=(float)(dze[i*d+c]+dZ[c]); }
    for(int e=0;e<k*d;e++) dmue[e]=(float)(dmue[e]+dM[e]);
    rep("decBackward dz", err(dz,dze)); rep("decBackward dmu", err(dmu,dmue));
  }
  // The training step's scalars (TensorOps' device scalars) against CheckedTensorOps' host formulas.
  {
    int rows=37, cols=3; auto pr=R(rows*cols), tg=R(rows*cols), w=R(rows);
    for (int r=0;r<rows;r+=5) w[r]=0.f;
    std::vector<double> part(2), pair(2); double loss=-1;
    mseLossPartials(rows,cols,pr.data(),tg.data(),w.data(),part.data());
    mseLossFinish(part.data(),1,cols,&loss);
    sumPartials(part.data(),1,2,pair.data());
    exact("mseLossFinish", fabs(loss - (pair[1]==0 ? 0.0 : pair[0]/(pair[1]*cols))));
    std::vector<double> none(2,0.0); mseLossFinish(none.data(),1,cols,&loss);
    exact("mseLossFinish no weight", fabs(loss));
    double sums[] = {0.0, 0.25, 4.0, 1e6, NAN, INFINITY};
    for (double sq : sums) {
      auto x=R(50), xe=x; double maxNorm=1.5;
      clipByNormKernel(x.data(), 50, &sq, maxNorm);
      double f = maxNorm / (sqrt(sq) + 1e-6);
      if (f < 1) for (auto &v : xe) v = v * (float) f;
      exact("clipByNorm", err(x,xe) + (std::isnan(err(x,xe)) ? 1 : 0));
    }
    // s: loss, norm², record (sum, last norm, diverged batch, its loss, zeros, norm)
    auto record=[&](double *s, int lossSlot, double host, double weight, double zeros, double limit, int b){
      recordBatch(s, lossSlot, host, weight, zeros, limit, 1, b, 2); };
    double s[8] = {0.5, 9.0, 1.0, 0.0, -1, 0, 0, 0};
    record(s, 0, NAN, 4.0, 0.1, 1e5, 0);
    exact("recordBatch sum", fabs(s[2] - 3.0) + fabs(s[3] - 3.0) + (s[4] == -1 ? 0 : 1));
    record(s, -1, 0.25, 0.0, 0.1, 1e5, 1);   // a host loss of weight 0 adds nothing
    exact("recordBatch host loss", fabs(s[2] - 3.0) + (s[4] == -1 ? 0 : 1));
    s[0] = 2e5; record(s, 0, 0, 1.0, 0.2, 1e5, 2);  // over the limit
    exact("recordBatch over limit", fabs(s[4] - 2) + fabs(s[5] - 2e5) + fabs(s[6] - 0.2) + fabs(s[7] - 3.0));
    s[0] = NAN; s[1] = INFINITY; record(s, 0, 0, 1.0, 0.3, 1e5, 3);  // the first stays
    exact("recordBatch keeps the first", fabs(s[4] - 2) + (std::isinf(s[3]) ? 0 : 1));
    double t[8] = {0.5, INFINITY, 0, 0, -1, 0, 0, 0};
    record(t, 0, 0, 1.0, 0.1, NAN, 7);   // a NaN limit never trips; an infinite norm does
    exact("recordBatch norm", fabs(t[4] - 7) + (std::isinf(t[7]) ? 0 : 1));
  }
  {
    auto src=R(7); std::vector<float> dst(7*5), dste(7*5);
    repeatKernel(7, 5, src.data(), dst.data());
    for (int t=0;t<5;t++) for (int i=0;i<7;i++) dste[t*7+i]=src[i];
    exact("repeat", err(dst,dste));
  }
  {
    // 5 sequences of 4 steps, 3 channels; a batch of 4 (one repeated, out of order) over 3 steps
    int n = 5, maxSteps = 4, c = 3, count = 4, steps = 3;
    auto src=R(n*maxSteps*c); std::vector<float> dst(steps*count*c), dste(steps*count*c);
    int index[] = {3, 0, 4, 3};
    gatherSequences(count, steps, maxSteps, c, src.data(), index, dst.data());
    for (int s=0;s<steps;s++) for (int b=0;b<count;b++) for (int j=0;j<c;j++)
      dste[(s*count+b)*c+j] = src[(index[b]*maxSteps+s)*c+j];
    exact("gatherSequences", err(dst,dste));
  }
  return 0;
}
